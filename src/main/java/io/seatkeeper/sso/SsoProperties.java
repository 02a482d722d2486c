package io.seatkeeper.sso;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the claims of an OpenID Connect provider become a profile. The providers themselves
 * are Spring's {@code spring.security.oauth2.client.registration.*} and
 * {@code provider.*}.
 *
 * @param usernameClaim the claim that is the username; when it is absent the
 * {@code email} claim is used
 * @param emailClaim the claim that is the e-mail address
 * @param firstNameClaim the claim that is the first name
 * @param lastNameClaim the claim that is the last name
 * @param areaClaim the claim (a text or a list, such as groups) whose value chooses the
 * area of a new profile; unset, every new profile goes to the Primary Area
 * @param areas which value of the area claim goes to which Extranet area, by the area's
 * name; a value not listed, a missing claim or an area that does not exist means the
 * Primary Area
 * @param allowLinking whether a first sign-in may take over an existing local or
 * directory profile with the same username (never the built-in administrator)
 * @param keySetConnectTimeout how long to wait for a connection to a provider's key set
 * ({@code jwk-set-uri}) when its ID tokens are checked
 * @param keySetReadTimeout how long to wait for a provider's key set to arrive
 */
@ConfigurationProperties("seatkeeper.sso")
record SsoProperties(@DefaultValue("preferred_username") String usernameClaim, @DefaultValue("email") String emailClaim,
		@DefaultValue("given_name") String firstNameClaim, @DefaultValue("family_name") String lastNameClaim,
		String areaClaim, Map<String, String> areas, boolean allowLinking,
		@DefaultValue("5s") Duration keySetConnectTimeout, @DefaultValue("10s") Duration keySetReadTimeout) {

	SsoProperties {
		areas = (areas != null) ? Map.copyOf(areas) : Map.of();
	}

}
