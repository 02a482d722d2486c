package io.seatkeeper.people;

/**
 * The state filter of the people list and the export.
 */
public enum StateFilter {

	/** Active profiles. */
	ACTIVE,
	/** Blocked profiles, whatever the reason (awaiting included). */
	BLOCKED,
	/** Profiles blocked awaiting a licence. */
	AWAITING,
	/** Profiles blocked by the reclaim job for want of sign-ins. */
	DORMANT

}
