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

}
