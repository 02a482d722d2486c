package io.seatkeeper.sso;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.AreaView;
import io.seatkeeper.people.AwaitingQueue;
import io.seatkeeper.people.BlockReason;
import io.seatkeeper.people.NewProfile;
import io.seatkeeper.people.PeopleRefusal;
import io.seatkeeper.people.AwaitingLicense;
import io.seatkeeper.people.DormantSignIn;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileRules;
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
 * profile created through the licence gate together with its link; then brings the
 * profile up to date with the claims (e-mail address, names, roles), as the provider's
 * settings ({@link SsoMapping}) say.
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

	private final SsoUnmappedValues unmapped = new SsoUnmappedValues();

	private final AwaitingQueue queue;

	private final DormantSignIn dormant;

	SsoAccounts(SsoIdentities identities, PeopleService people, AreaService areas, SsoProperties properties,
			ApplicationEventPublisher events, TransactionTemplate transactions, AwaitingQueue queue,
			DormantSignIn dormant) {
		this.queue = queue;
		this.dormant = dormant;
		this.identities = identities;
		this.people = people;
		this.areas = areas;
		this.properties = properties;
		this.events = events;
		this.transactions = transactions;
	}

	/**
	 * The active profile this provider's user signs in as, up to date with the claims.
	 * @throws SsoRefusal if the profile is blocked, no licence is free, the username is
	 * another profile's, or a claim is missing or invalid; nothing is created
	 */
	ProfileView signIn(String registrationId, OidcUser user) {
		SsoMapping mapping = this.properties.mapping(registrationId);
		this.unmapped.report(mapping, user.getClaims());
		String username = username(mapping, user);
		Claimant claimant = new Claimant(registrationId, String.valueOf(user.getIdToken().getIssuer()),
				user.getSubject(), (username != null) ? username : claim(user, mapping.usernameClaim()));
		Optional<ProfileView> linked = linkedProfile(claimant.issuer(), claimant.subject());
		if (linked.isPresent()) {
			return update(admit(linked.get(), claimant), mapping, user, claimant, true);
		}
		if (username == null) {
			throw refuse(SsoRefusal.INVALID, claimant, null, "no valid username in the " + mapping.usernameClaim()
					+ " claim (" + claimant.claimedUsername() + ") or the " + mapping.emailClaim() + " claim");
		}
		Optional<ProfileView> existing = this.people.findByUsername(username);
		if (existing.isPresent()) {
			return update(link(existing.get(), claimant, mapping), mapping, user, claimant, true);
		}
		return update(provision(claimant, username, user, mapping), mapping, user, claimant, false);
	}

	private Optional<ProfileView> linkedProfile(String issuer, String subject) {
		return this.transactions.execute((status) -> this.identities.findProfileId(issuer, subject))
			.flatMap(this.people::find);
	}

	private ProfileView admit(ProfileView profile, Claimant claimant) {
		if (!profile.active() && profile.blockReason() == BlockReason.DORMANT) {
			// A dormant profile comes back through the gate, or waits its turn.
			try {
				if (this.dormant.comeBack(profile.username())) {
					return this.people.get(profile.id());
				}
			}
			catch (AwaitingLicense awaiting) {
				throw awaiting(this.people.get(profile.id()), claimant);
			}
		}
		if (!profile.active() && profile.blockReason() == BlockReason.AWAITING_LICENSE) {
			throw awaiting(profile, claimant);
		}
		if (!profile.active()) {
			throw refuse(SsoRefusal.BLOCKED, claimant, profile.username(),
					"the profile is blocked (" + profile.blockReason() + ")");
		}
		return profile;
	}

	private ProfileView link(ProfileView profile, Claimant claimant, SsoMapping mapping) {
		if (!mapping.allowLinking() || profile.builtIn()) {
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

	private ProfileView provision(Claimant claimant, String username, OidcUser user, SsoMapping mapping) {
		String issuer = claimant.issuer();
		String subject = claimant.subject();
		String registrationId = claimant.registrationId();
		NewProfile request = new NewProfile(username, Objects.requireNonNullElse(claim(user, mapping.emailClaim()), ""),
				claim(user, mapping.firstNameClaim()), claim(user, mapping.lastNameClaim()), areaId(user, mapping),
				null, ProfileSource.SSO);
		try {
			if (this.properties.whenFull() == SsoProperties.WhenFull.QUEUE) {
				ProfileView created = this.people.provisionOrQueue(request, claimant.actor(),
						(profile) -> this.identities
							.saveAndFlush(new SsoIdentity(issuer, subject, profile.id(), registrationId)));
				if (!created.active()) {
					throw awaiting(created, claimant);
				}
				return created;
			}
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
						"the " + claimOf(refusal.field(), mapping) + " claim is invalid (" + refusal.code() + ")");
			}
			throw refuse(SsoRefusal.USERNAME_TAKEN, claimant, null, "another profile took this username meanwhile");
		}
	}

	private static String claimOf(String field, SsoMapping mapping) {
		if (field == null) {
			return "?";
		}
		return switch (field) {
			case "username" -> mapping.usernameClaim();
			case "email" -> mapping.emailClaim();
			case "firstName" -> mapping.firstNameClaim();
			case "lastName" -> mapping.lastNameClaim();
			default -> field;
		};
	}

	/**
	 * The username the claims give: the username claim when it is a valid username,
	 * otherwise the e-mail claim when that is one; {@code null} when neither is.
	 */
	private static String username(SsoMapping mapping, OidcUser user) {
		String username = claim(user, mapping.usernameClaim());
		if (username != null && ProfileRules.validUsername(username)) {
			return username;
		}
		String email = claim(user, mapping.emailClaim());
		if (email != null && ProfileRules.validUsername(email)) {
			if (username != null) {
				logger.info(
						"Single sign-on through {}: the {} claim '{}' is not a valid username; the {} claim is used",
						mapping.registrationId(), mapping.usernameClaim(), username, mapping.emailClaim());
			}
			return email;
		}
		return null;
	}

	/**
	 * The area the area claim maps to; the Primary Area ({@code null}) when there is no
	 * claim, no value is mapped or the mapped area does not exist.
	 */
	private Long areaId(OidcUser user, SsoMapping mapping) {
		for (String areaName : mapping.areaNames(user.getClaims())) {
			Optional<AreaView> area = this.areas.findByName(areaName);
			if (area.isPresent()) {
				return area.get().id();
			}
			logger.warn("Single sign-on through {}: the area mapping names the area '{}', which does not exist",
					mapping.registrationId(), areaName);
		}
		return null;
	}

	/**
	 * Brings a signed-in profile up to date with the claims, as the provider's settings
	 * say: its e-mail address and names (a profile created by this sign-in has them
	 * already), and its roles; each change recorded with the provider's identity as the
	 * actor. The built-in administrator is never changed.
	 */
	private ProfileView update(ProfileView profile, SsoMapping mapping, OidcUser user, Claimant claimant,
			boolean refreshDetails) {
		if (profile.builtIn()) {
			return profile;
		}
		ProfileView updated = profile;
		if (refreshDetails && mapping.refreshProfile()) {
			updated = refreshDetails(updated, mapping, user, claimant);
		}
		if (mapping.mapsRoles()) {
			Set<SsoRole> roles = mapping.roles(user.getClaims());
			boolean sysadmin = roles.contains(SsoRole.SYSADMIN);
			boolean peopleAdmin = roles.contains(SsoRole.PEOPLE_ADMIN);
			if (updated.sysadmin() != sysadmin || updated.peopleAdmin() != peopleAdmin) {
				updated = this.people.changeRoles(updated.id(), sysadmin, peopleAdmin, claimant.actor());
			}
		}
		return updated;
	}

	/**
	 * Copies the e-mail address and names of the claims to the profile; a claim that is
	 * absent, or not valid, leaves its value as it is (and a sign-in is not refused for
	 * it).
	 */
	private ProfileView refreshDetails(ProfileView profile, SsoMapping mapping, OidcUser user, Claimant claimant) {
		String email = validClaim(user, mapping, mapping.emailClaim(), ProfileRules::validEmail);
		String firstName = validClaim(user, mapping, mapping.firstNameClaim(), ProfileRules::validName);
		String lastName = validClaim(user, mapping, mapping.lastNameClaim(), ProfileRules::validName);
		boolean same = (email == null || email.equals(profile.email()))
				&& (firstName == null || firstName.equals(profile.firstName()))
				&& (lastName == null || lastName.equals(profile.lastName()));
		if (same) {
			return profile;
		}
		try {
			return this.people.changeDetails(profile.id(), email, firstName, lastName, claimant.actor());
		}
		catch (PeopleRefusal refusal) {
			logger.warn("Single sign-on through {}: the profile {} was not refreshed from the claims: {}",
					mapping.registrationId(), profile.username(), refusal.code());
			return profile;
		}
	}

	/**
	 * The claim's value when it is valid; {@code null} (and a line in the log) when it is
	 * not, or when it is absent.
	 */
	private static String validClaim(OidcUser user, SsoMapping mapping, String name, Predicate<String> valid) {
		String value = claim(user, name);
		if (value != null && !valid.test(value)) {
			logger.warn("Single sign-on through {}: the {} claim is not valid and is not copied to the profile",
					mapping.registrationId(), name);
			return null;
		}
		return value;
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
	 * The profile awaits a licence: the sign-in is refused (recorded) and the person told
	 * their place in the queue.
	 */
	private SsoRefusal awaiting(ProfileView profile, Claimant claimant) {
		int position = this.queue.position(profile.id()).orElse(0);
		refuse(SsoRefusal.AWAITING, claimant, profile.username(),
				"the profile awaits a licence, number " + position + " in the queue");
		return SsoRefusal.awaiting("the profile awaits a licence, number " + position + " in the queue", position);
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
