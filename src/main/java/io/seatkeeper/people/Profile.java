package io.seatkeeper.people;

import java.time.Instant;
import java.util.Locale;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.seatkeeper.license.Pool;

/**
 * A person's profile in one area. Its state, area and pool change only through
 * {@link ProfileLedger}, which passes the licence gate in the same transaction.
 */
@Entity
@Table(name = "profile")
class Profile {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(nullable = false)
	private String username;

	@Column(name = "username_key", nullable = false)
	private String usernameKey;

	@Column(nullable = false)
	private String email;

	@Column(name = "email_key", nullable = false)
	private String emailKey;

	@Column(name = "first_name", nullable = false)
	private String firstName;

	@Column(name = "first_name_key", nullable = false)
	private String firstNameKey;

	@Column(name = "last_name", nullable = false)
	private String lastName;

	@Column(name = "last_name_key", nullable = false)
	private String lastNameKey;

	@ManyToOne(fetch = FetchType.EAGER, optional = false)
	@JoinColumn(name = "area_id", nullable = false)
	private Area area;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false)
	private Pool pool;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false)
	private ProfileState state;

	@Enumerated(EnumType.STRING)
	@Column(name = "block_reason")
	private BlockReason blockReason;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false)
	private ProfileSource source;

	@Column(name = "directory_id", insertable = false, updatable = false)
	private String directoryId;

	@Column(name = "password_hash")
	private String passwordHash;

	@Column(nullable = false)
	private boolean sysadmin;

	@Column(name = "people_admin", nullable = false)
	private boolean peopleAdmin;

	@Column(name = "built_in", nullable = false)
	private boolean builtIn;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	@Column(name = "updated_at", nullable = false)
	private Instant updatedAt;

	@Column(name = "blocked_at")
	private Instant blockedAt;

	@Column(name = "awaiting_since")
	private Instant awaitingSince;

	@Column(name = "last_sign_in_at")
	private Instant lastSignInAt;

	@Column(name = "external_id")
	private String externalId;

	@Column(name = "deprovisioned_at")
	private Instant deprovisionedAt;

	@Column(name = "never_reclaim", nullable = false)
	private boolean neverReclaim;

	@Version
	private long version;

	protected Profile() {
	}

	/**
	 * A new active profile; the caller has taken its licence.
	 */
	static Profile active(String username, String email, String firstName, String lastName, Area area,
			ProfileSource source, String passwordHash) {
		Profile profile = new Profile();
		Instant now = Instant.now();
		profile.username = username;
		profile.usernameKey = usernameKey(username);
		profile.changeDetails(email, firstName, lastName);
		profile.area = area;
		profile.pool = area.pool();
		profile.state = ProfileState.ACTIVE;
		profile.source = source;
		profile.passwordHash = passwordHash;
		profile.createdAt = now;
		profile.updatedAt = now;
		return profile;
	}

	/**
	 * The built-in administrator: every role, no licence.
	 */
	static Profile builtInAdministrator(String username, Area primary, String passwordHash) {
		Profile profile = active(username, username + "@localhost", "Built-in", "Administrator", primary,
				ProfileSource.BUILT_IN, passwordHash);
		profile.builtIn = true;
		profile.sysadmin = true;
		profile.peopleAdmin = true;
		return profile;
	}

	static String usernameKey(String username) {
		return ProfileRules.key(username);
	}

	void changeDetails(String email, String firstName, String lastName) {
		this.email = email;
		this.emailKey = email.toLowerCase(Locale.ROOT);
		this.firstName = firstName;
		this.firstNameKey = firstName.toLowerCase(Locale.ROOT);
		this.lastName = lastName;
		this.lastNameKey = lastName.toLowerCase(Locale.ROOT);
		this.updatedAt = Instant.now();
	}

	/**
	 * Where the profile stands now.
	 */
	Standing standing() {
		return new Standing(this.state, this.blockReason, this.blockedAt, this.awaitingSince);
	}

	/**
	 * Changes where the profile stands; only {@link ProfileLedger} calls it, after the
	 * state machine said what the change takes or gives back.
	 */
	void change(Standing next) {
		this.state = next.state();
		this.blockReason = next.reason();
		this.blockedAt = next.blockedAt();
		this.awaitingSince = next.awaitingSince();
		this.updatedAt = Instant.now();
	}

	/**
	 * Changes what a SCIM client sets: username, e-mail, names and its external id.
	 */
	void provisioned(String username, String email, String firstName, String lastName, String externalId) {
		this.username = username;
		this.usernameKey = usernameKey(username);
		changeDetails(email, firstName, lastName);
		this.externalId = externalId;
		this.deprovisionedAt = null;
	}

	/**
	 * The SCIM client deleted the user and the profile is kept: the client no longer sees
	 * it.
	 */
	void deprovisioned(Instant at) {
		this.deprovisionedAt = at;
		this.externalId = null;
		this.updatedAt = at;
	}

	void moveTo(Area target) {
		this.area = target;
		this.pool = target.pool();
		this.updatedAt = Instant.now();
	}

	/**
	 * Whether the reclaim job leaves this profile alone, whatever its last sign-in.
	 */
	void exemptFromReclaim(boolean neverReclaim) {
		this.neverReclaim = neverReclaim;
		this.updatedAt = Instant.now();
	}

	/**
	 * Records a sign-in (a dormant profile's return, which the ledger writes).
	 */
	void signedIn(Instant at) {
		this.lastSignInAt = at;
	}

	Instant lastSignInAt() {
		return this.lastSignInAt;
	}

	boolean isNeverReclaim() {
		return this.neverReclaim;
	}

	void grantRoles(boolean sysadmin, boolean peopleAdmin) {
		this.sysadmin = sysadmin;
		this.peopleAdmin = peopleAdmin;
		this.updatedAt = Instant.now();
	}

	Long id() {
		return this.id;
	}

	String username() {
		return this.username;
	}

	String passwordHash() {
		return this.passwordHash;
	}

	Area area() {
		return this.area;
	}

	Pool pool() {
		return this.pool;
	}

	ProfileState state() {
		return this.state;
	}

	BlockReason blockReason() {
		return this.blockReason;
	}

	ProfileSource source() {
		return this.source;
	}

	/**
	 * The directory's stable id of the entry, for a profile from the directory (read only
	 * here: the directory's batch writes set it).
	 */
	String directoryId() {
		return this.directoryId;
	}

	String email() {
		return this.email;
	}

	String firstName() {
		return this.firstName;
	}

	String lastName() {
		return this.lastName;
	}

	String externalId() {
		return this.externalId;
	}

	Instant deprovisionedAt() {
		return this.deprovisionedAt;
	}

	Instant createdAt() {
		return this.createdAt;
	}

	Instant updatedAt() {
		return this.updatedAt;
	}

	long version() {
		return this.version;
	}

	boolean isActive() {
		return this.state == ProfileState.ACTIVE;
	}

	boolean isBuiltIn() {
		return this.builtIn;
	}

	/**
	 * Whether this profile holds one of its pool's licences.
	 */
	boolean usesLicense() {
		return isActive() && !this.builtIn;
	}

	boolean isSysadmin() {
		return this.sysadmin;
	}

	boolean isPeopleAdmin() {
		return this.peopleAdmin;
	}

	ProfileView view() {
		return new ProfileView(this.id, this.username, this.email, this.firstName, this.lastName, this.area.id(),
				this.area.name(), this.pool, this.state, this.blockReason, this.source, this.builtIn, this.sysadmin,
				this.peopleAdmin, this.passwordHash != null, this.createdAt, this.blockedAt, this.awaitingSince,
				this.lastSignInAt, this.neverReclaim);
	}

}
