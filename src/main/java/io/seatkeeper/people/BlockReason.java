package io.seatkeeper.people;

/**
 * Why a profile is blocked.
 */
public enum BlockReason {

	/** Blocked by an administrator; no sync ever activates it. */
	ADMINISTRATOR,
	/** Created or left blocked because its pool had no licence free. */
	AWAITING_LICENSE,
	/** Disabled or removed in the directory. */
	DIRECTORY,
	/**
	 * Deactivated ({@code active: false}) or deleted by its SCIM client; the client may
	 * activate it again.
	 */
	PROVISIONING,
	/**
	 * Blocked by the reclaim job: no sign-in for the set number of days. It comes back by
	 * signing in, licence permitting.
	 */
	DORMANT

}
