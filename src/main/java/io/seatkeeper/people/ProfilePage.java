package io.seatkeeper.people;

import java.util.List;

/**
 * One page of profiles in id order, as the API pages them.
 *
 * @param profiles the profiles on this page
 * @param nextAfter the id after which the next page starts, or {@code null} on the last
 * page
 */
public record ProfilePage(List<ProfileView> profiles, Long nextAfter) {

	/** The most profiles a page may hold. */
	public static final int MAX_LIMIT = 1000;

	/**
	 * Whether another page follows.
	 */
	public boolean hasNext() {
		return this.nextAfter != null;
	}

}
