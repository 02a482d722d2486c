package io.seatkeeper.people;

/**
 * The counts of the system summary (R11), the built-in administrator excluded.
 *
 * @param activePrimary active profiles in the Primary Area
 * @param activeExtranet active profiles in Extranet areas
 * @param blocked blocked profiles, whatever the reason
 * @param awaiting blocked profiles awaiting a licence
 */
public record PeopleTotals(long activePrimary, long activeExtranet, long blocked, long awaiting) {

	/**
	 * All active profiles.
	 */
	public long active() {
		return this.activePrimary + this.activeExtranet;
	}

	/**
	 * The blocked profiles that are not awaiting a licence (blocked by an administrator,
	 * by the directory, as dormant…): with {@link #awaiting()} they make
	 * {@link #blocked()}, so that the summary counts nobody twice.
	 */
	public long blockedOtherwise() {
		return Math.max(0, this.blocked - this.awaiting);
	}

}
