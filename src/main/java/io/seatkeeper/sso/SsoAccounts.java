package io.seatkeeper.sso;

import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.AreaView;
import io.seatkeeper.people.NewProfile;
import io.seatkeeper.people.PeopleRefusal;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileSource;
import io.seatkeeper.people.ProfileView;
import io.seatkeeper.sso.SsoEvents.SsoIdentityLinked;
import io.seatkeeper.sso.SsoEvents.SsoSignInRefused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decides who a provider's user is: the profile linked to its issuer and subject, an
 * existing profile with the same username (only when linking is allowed), or a new active
 * profile created through the licence gate together with its link.
 */
@Service
class SsoAccounts {

	static final String OPERATION = "sso-sign-in";

	private static final Logger logger = LoggerFactory.getLogger(SsoAccounts.class);

	private final SsoIdentities identities;

	private final PeopleService people;

	private final AreaService areas;

	private final SsoProperties properties;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transactions;

	SsoAccounts(SsoIdentities identities, PeopleService people, AreaService areas, SsoProperties properties,
			ApplicationEventPublisher events, TransactionTemplate transactions) {
		this.identities = identities;
		this.people = people;
		this.areas = areas;
		this.properties = properties;
		this.events = events;
		this.transactions = transactions;
	}

	/**
	 * The active profile this provider's user signs in as.
	 * @throws SsoRefusal if the profile is blocked, no licence is free, the username is
	 * another profile's, or a claim is missing or invalid; nothing is created
	 */
	ProfileView signIn(String registrationId, OidcUser user) {
		String username = username(user);
		Claimant claimant = new Claimant(registrationId, String.valueOf(user.getIdToken().getIssuer()),
				user.getSubject(), username);
		Optional<ProfileView> linked = linkedProfile(claimant.issuer(), claimant.subject());
		if (linked.isPresent()) {
			return admit(linked.get(), claimant);
		}
		if (username == null) {
			throw refuse(SsoRefusal.INVALID, claimant, null,
					"no " + this.properties.usernameClaim() + " or " + this.properties.emailClaim() + " claim");
		}
		Optional<ProfileView> existing = this.people.findByUsername(username);
		if (existing.isPresent()) {
			return link(existing.get(), claimant);
		}
		return provision(claimant, username, user);
	}

	private Optional<ProfileView> linkedProfile(String issuer, String subject) {
		return this.transactions.execute((status) -> this.identities.findProfileId(issuer, subject))
			.flatMap(this.people::find);
	}

	private ProfileView admit(ProfileView profile, Claimant claimant) {
		if (!profile.active()) {
			throw refuse(SsoRefusal.BLOCKED, claimant, profile.username(),
					"the profile is blocked (" + profile.blockReason() + ")");
		}
		return profile;
	}

	private ProfileView link(ProfileView profile, Claimant claimant) {
		if (!this.properties.allowLinking() || profile.builtIn()) {
			throw refuse(SsoRefusal.USERNAME_TAKEN, claimant, null,
					"a " + profile.source() + " profile has this username and linking is not allowed");
		}
		admit(profile, claimant);
		String issuer = claimant.issuer();
		String subject = claimant.subject();
		String registrationId = claimant.registrationId();
		try {
			this.transactions.executeWithoutResult((status) -> {
				this.identities.saveAndFlush(new SsoIdentity(issuer, subject, profile.id(), registrationId));
				this.events.publishEvent(new SsoIdentityLinked(profile.username(), registrationId, issuer));
			});
		}
		catch (DataIntegrityViolationException ex) {
			// The same person signing in twice at once: the other sign-in linked the
			// profile.
			return linkedProfile(issuer, subject).map((linked) -> admit(linked, claimant)).orElseThrow(() -> ex);
		}
		return profile;
	}

	private ProfileView provision(Claimant claimant, String username, OidcUser user) {
		String issuer = claimant.issuer();
		String subject = claimant.subject();
		String registrationId = claimant.registrationId();
		NewProfile request = new NewProfile(username,
				Objects.requireNonNullElse(claim(user, this.properties.emailClaim()), ""),
				claim(user, this.properties.firstNameClaim()), claim(user, this.properties.lastNameClaim()),
				areaId(user), null, ProfileSource.SSO);
		try {
			return this.people.provision(request, OPERATION, claimant.actor(), (created) -> this.identities
				.saveAndFlush(new SsoIdentity(issuer, subject, created.id(), registrationId)));
		}
		catch (LicenseLimitExceeded refusal) {
			// The gate's refusal is already recorded (LicenseLimitReached): audit and
			// mail.
			throw new SsoRefusal(SsoRefusal.NO_LICENSE, refusal.getMessage());
		}
		catch (DataIntegrityViolationException | PeopleRefusal ex) {
			// The same person signing in twice at once: the other sign-in created the
			// link.
			Optional<ProfileView> linked = linkedProfile(issuer, subject);
			if (linked.isPresent()) {
				return admit(linked.get(), claimant);
			}
			if (ex instanceof PeopleRefusal refusal && !"profile.username.taken".equals(refusal.code())) {
				throw refuse(SsoRefusal.INVALID, claimant, null,
						"the " + claimOf(refusal.field()) + " claim is invalid (" + refusal.code() + ")");
			}
			throw refuse(SsoRefusal.USERNAME_TAKEN, claimant, null, "another profile took this username meanwhile");
		}
	}

	private String claimOf(String field) {
		if (field == null) {
			return "?";
		}
		return switch (field) {
			case "username" -> this.properties.usernameClaim();
			case "email" -> this.properties.emailClaim();
			case "firstName" -> this.properties.firstNameClaim();
			case "lastName" -> this.properties.lastNameClaim();
			default -> field;
		};
	}

	private String username(OidcUser user) {
		String username = claim(user, this.properties.usernameClaim());
		return (username != null) ? username : claim(user, this.properties.emailClaim());
	}

	/**
	 * The area the area claim maps to; the Primary Area ({@code null}) when there is no
	 * claim, no value is mapped or the mapped area does not exist.
	 */
	private Long areaId(OidcUser user) {
		String claimName = this.properties.areaClaim();
		if (claimName == null || claimName.isBlank()) {
			return null;
		}
		Object value = user.getClaims().get(claimName);
		Collection<?> values = (value instanceof Collection<?> many) ? many
				: (value != null) ? java.util.List.of(value) : java.util.List.of();
		for (Object candidate : values) {
			String areaName = this.properties.areas().get(String.valueOf(candidate));
			if (areaName != null) {
				Optional<AreaView> area = this.areas.findByName(areaName);
				if (area.isPresent()) {
					return area.get().id();
				}
				logger.warn(
						"seatkeeper.sso.areas maps '{}' to the area '{}', which does not exist: the Primary Area is used",
						candidate, areaName);
			}
		}
		return null;
	}

	private static String claim(OidcUser user, String name) {
		if (name == null || name.isBlank()) {
			return null;
		}
		Object value = user.getClaims().get(name);
		if (value == null || String.valueOf(value).isBlank()) {
			return null;
		}
		return String.valueOf(value).strip();
	}

	/**
	 * Records the refusal, naming who tried by the provider's identity; the claimed
	 * username is only a detail.
	 * @param profile the linked profile the refusal is about, or {@code null}
	 */
	private SsoRefusal refuse(String code, Claimant claimant, String profile, String details) {
		this.transactions.executeWithoutResult((status) -> this.events
			.publishEvent(new SsoSignInRefused(claimant.registrationId(), claimant.issuer(), claimant.subject(),
					claimant.claimedUsername(), profile, code.substring("sso_".length()).replace('_', '-'), details)));
		return new SsoRefusal(code, details);
	}

	/**
	 * Who is signing in, as the provider's checked ID token says: the provider, its
	 * issuer, the subject there, and the username the token claims ({@code null} when
	 * none).
	 */
	private record Claimant(String registrationId, String issuer, String subject, String claimedUsername) {

		String actor() {
			return SsoEvents.actor(this.subject, this.issuer);
		}

	}

}
