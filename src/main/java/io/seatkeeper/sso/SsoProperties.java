package io.seatkeeper.sso;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the claims of an OpenID Connect provider become a profile. The providers themselves
 * are Spring's {@code spring.security.oauth2.client.registration.*} and
 * {@code provider.*}; each setting here but the key-set time-outs can be set for one
 * provider under {@code providers.<registration id>}.
 *
 * @param usernameClaim the claim that is the username; when it is absent or not a valid
 * username the {@code email} claim is used
 * @param emailClaim the claim that is the e-mail address
 * @param firstNameClaim the claim that is the first name
 * @param lastNameClaim the claim that is the last name
 * @param areaClaim the claim (a text or a list, such as groups) whose value chooses the
 * area of a new profile; unset, every new profile goes to the Primary Area
 * @param areas which value of the area claim goes to which Extranet area, by the area's
 * name; values are compared ignoring case and a leading {@code /}, and a Keycloak group
 * path ({@code /org/partners}) also by its last segment; a value not listed, a missing
 * claim or an area that does not exist means the Primary Area
 * @param roleClaim the claim (a text or a list, such as groups or roles) whose values
 * give the roles of {@code roles} at each sign-in, granting and taking away; unset (the
 * default), single sign-on leaves roles to the administrators
 * @param roles which roles ({@code SYSADMIN}, {@code PEOPLE_ADMIN}) each value of the
 * role claim gives, compared as for {@code areas}
 * @param refreshProfile whether each sign-in copies the e-mail address and names of the
 * claims to the profile
 * @param allowLinking whether a first sign-in may take over an existing local or
 * directory profile with the same username (never the built-in administrator)
 * @param providers the settings of one provider, by its registration id; what a provider
 * leaves unset is the setting above
 * @param keySetConnectTimeout how long to wait for a connection to a provider's key set
 * ({@code jwk-set-uri}) when its ID tokens are checked
 * @param keySetReadTimeout how long to wait for a provider's key set to arrive
 * @param whenFull what a first sign-in does when the pool of its area has no licence
 * free: {@code refuse} (the default) refuses it and creates nothing; {@code queue}
 * creates the profile awaiting a licence at the end of the pool's one queue and tells the
 * person their place in it
 */
@ConfigurationProperties("seatkeeper.sso")
record SsoProperties(@DefaultValue("preferred_username") String usernameClaim, @DefaultValue("email") String emailClaim,
		@DefaultValue("given_name") String firstNameClaim, @DefaultValue("family_name") String lastNameClaim,
		String areaClaim, Map<String, String> areas, String roleClaim, Map<String, Set<SsoRole>> roles,
		@DefaultValue("true") boolean refreshProfile, boolean allowLinking, Map<String, Provider> providers,
		@DefaultValue("5s") Duration keySetConnectTimeout, @DefaultValue("10s") Duration keySetReadTimeout,
		@DefaultValue("refuse") WhenFull whenFull) {

	/**
	 * What a first sign-in does when its pool is full.
	 */
	enum WhenFull {

		/** Refused: nothing is created. */
		REFUSE,

		/** The profile is created awaiting a licence, at the end of the queue. */
		QUEUE

	}

	SsoProperties {
		areas = (areas != null) ? Map.copyOf(areas) : Map.of();
		roles = (roles != null) ? Map.copyOf(roles) : Map.of();
		providers = (providers != null) ? Map.copyOf(providers) : Map.of();
	}

	/**
	 * The settings of one provider: its own where it has them, these otherwise. A map
	 * ({@code areas}, {@code roles}) that a provider sets replaces the one here.
	 * @throws IllegalStateException if two keys of a map are the same value and map it to
	 * different areas
	 */
	SsoMapping mapping(String registrationId) {
		Provider own = this.providers.getOrDefault(registrationId, Provider.NONE);
		return new SsoMapping(registrationId, or(own.usernameClaim(), this.usernameClaim),
				or(own.emailClaim(), this.emailClaim), or(own.firstNameClaim(), this.firstNameClaim),
				or(own.lastNameClaim(), this.lastNameClaim), or(own.areaClaim(), this.areaClaim),
				(own.areas() != null && !own.areas().isEmpty()) ? own.areas() : this.areas,
				or(own.roleClaim(), this.roleClaim),
				(own.roles() != null && !own.roles().isEmpty()) ? own.roles() : this.roles,
				or(own.refreshProfile(), this.refreshProfile), or(own.allowLinking(), this.allowLinking));
	}

	private static <T> T or(T own, T global) {
		return (own != null) ? own : global;
	}

	/**
	 * The settings of one provider
	 * ({@code seatkeeper.sso.providers.<registration id>.*}); each one left unset is the
	 * global {@code seatkeeper.sso.*} one. An empty {@code area-claim} or
	 * {@code role-claim} switches that mapping off for this provider.
	 *
	 * @param usernameClaim the claim that is the username
	 * @param emailClaim the claim that is the e-mail address
	 * @param firstNameClaim the claim that is the first name
	 * @param lastNameClaim the claim that is the last name
	 * @param areaClaim the claim whose value chooses the area of a new profile
	 * @param areas which value of the area claim goes to which Extranet area; when set,
	 * replaces the global mapping for this provider
	 * @param roleClaim the claim whose values give the roles at each sign-in
	 * @param roles which roles each value of the role claim gives; when set, replaces the
	 * global mapping for this provider
	 * @param refreshProfile whether each sign-in copies the e-mail address and names
	 * @param allowLinking whether a first sign-in may take over a profile with the same
	 * username
	 */
	record Provider(String usernameClaim, String emailClaim, String firstNameClaim, String lastNameClaim,
			String areaClaim, Map<String, String> areas, String roleClaim, Map<String, Set<SsoRole>> roles,
			Boolean refreshProfile, Boolean allowLinking) {

		static final Provider NONE = new Provider(null, null, null, null, null, null, null, null, null, null);

	}

}
