package io.seatkeeper.people;

import java.time.Instant;

import io.seatkeeper.license.Pool;

/**
 * A profile that came from the directory, as the directory sync compares it.
 *
 * @param id the profile's id
 * @param directoryId the directory's stable id of the entry
 * @param dn the entry's distinguished name at the last sync
 * @param username the username
 * @param email the e-mail address
 * @param firstName the first name
 * @param lastName the last name
 * @param areaId the id of the profile's area
 * @param pool the pool of that area
 * @param state active or blocked
 * @param blockReason why it is blocked, or {@code null}
 * @param awaitingSince since when it awaits a licence, if it does
 */
public record DirectoryAccount(long id, String directoryId, String dn, String username, String email, String firstName,
		String lastName, long areaId, Pool pool, ProfileState state, BlockReason blockReason, Instant awaitingSince) {

	/**
	 * Whether the profile is active or awaiting a licence: what a directory block would
	 * change.
	 */
	public boolean activeOrAwaiting() {
		return this.state == ProfileState.ACTIVE || this.blockReason == BlockReason.AWAITING_LICENSE;
	}

	/**
	 * Whether the entry's values would change nothing in this profile.
	 */
	public boolean matches(DirectoryEntry entry) {
		boolean stateMatches = entry.enabled() ? this.blockReason != BlockReason.DIRECTORY
				: (this.blockReason == BlockReason.DIRECTORY || this.blockReason == BlockReason.ADMINISTRATOR);
		return stateMatches && this.areaId == entry.areaId() && this.username.equals(entry.username())
				&& this.email.equals(entry.email()) && this.firstName.equals(entry.firstName())
				&& this.lastName.equals(entry.lastName()) && this.dn.equals(entry.dn());
	}

}
