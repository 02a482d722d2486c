package io.seatkeeper.people;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

import io.seatkeeper.license.Pool;

/**
 * A profile as pages, the API and other modules see it.
 *
 * @param id its id
 * @param username its username, as entered
 * @param email its e-mail address
 * @param firstName its first name
 * @param lastName its last name
 * @param areaId the id of its area
 * @param areaName the name of its area
 * @param pool the pool its area draws from
 * @param state active or blocked
 * @param blockReason why it is blocked, or {@code null} when active
 * @param source how it came to exist
 * @param builtIn whether it is the built-in administrator
 * @param sysadmin whether it has the {@code SYSADMIN} role
 * @param peopleAdmin whether it has the {@code PEOPLE_ADMIN} role
 * @param hasPassword whether it can sign in with a password
 * @param createdAt when it was created
 * @param blockedAt when it was blocked, if it is
 * @param awaitingSince since when it awaits a licence, if it does
 * @param lastSignInAt when it last signed in, if ever
 * @param neverReclaim whether the reclaim job never blocks it, however long it has not
 * signed in
 */
public record ProfileView(long id, String username, String email, String firstName, String lastName, long areaId,
		String areaName, Pool pool, ProfileState state, BlockReason blockReason, ProfileSource source, boolean builtIn,
		boolean sysadmin, boolean peopleAdmin, boolean hasPassword, Instant createdAt, Instant blockedAt,
		Instant awaitingSince, Instant lastSignInAt, boolean neverReclaim) {

	/**
	 * Whether the profile holds one of its pool's licences: active and not the built-in
	 * administrator (R3).
	 */
	public boolean usesLicense() {
		return this.state == ProfileState.ACTIVE && !this.builtIn;
	}

	/**
	 * Whether the profile is active.
	 */
	public boolean active() {
		return this.state == ProfileState.ACTIVE;
	}

	/**
	 * Whether the profile is blocked awaiting a licence.
	 */
	public boolean awaiting() {
		return this.blockReason == BlockReason.AWAITING_LICENSE;
	}

	/**
	 * The authorities a signed-in session of this profile holds: {@code ROLE_USER}, and
	 * {@code ROLE_SYSADMIN} and {@code ROLE_PEOPLE_ADMIN} by its roles (the built-in
	 * administrator has both).
	 */
	public Set<String> authorities() {
		Set<String> authorities = new LinkedHashSet<>();
		authorities.add("ROLE_USER");
		if (this.sysadmin || this.builtIn) {
			authorities.add("ROLE_SYSADMIN");
		}
		if (this.peopleAdmin || this.builtIn) {
			authorities.add("ROLE_PEOPLE_ADMIN");
		}
		return authorities;
	}

	/**
	 * First and last name, for display.
	 */
	public String displayName() {
		return (this.firstName + " " + this.lastName).strip();
	}

}
