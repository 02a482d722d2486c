package io.seatkeeper.people;

import java.time.Instant;

import io.seatkeeper.license.Pool;

/**
 * A profile that a SCIM client created, as the client sees it.
 *
 * @param id the profile's id (the SCIM resource id)
 * @param username the username
 * @param email the e-mail address
 * @param firstName the first name
 * @param lastName the last name
 * @param externalId the client's id of the user, or {@code null}
 * @param areaId the id of its area
 * @param area the name of its area
 * @param pool the pool of that area
 * @param state active or blocked
 * @param blockReason why it is blocked, or {@code null}
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param version its row version (the SCIM resource version)
 * @param position its place in its pool's queue, from 1, when it awaits a licence
 */
public record ProvisionedAccount(long id, String username, String email, String firstName, String lastName,
		String externalId, long areaId, String area, Pool pool, ProfileState state, BlockReason blockReason,
		Instant createdAt, Instant updatedAt, long version, Integer position) {

	/**
	 * Whether it holds a licence.
	 */
	public boolean active() {
		return this.state == ProfileState.ACTIVE;
	}

	/**
	 * Whether it awaits a licence of its pool.
	 */
	public boolean awaiting() {
		return this.blockReason == BlockReason.AWAITING_LICENSE;
	}

}
