package io.seatkeeper.people;

import java.util.List;

/**
 * One page of profiles in username order.
 *
 * @param profiles the profiles on this page
 * @param nextAfter where the next page starts, or {@code null} on the last page
 */
public record ProfileSlice(List<ProfileView> profiles, String nextAfter) {

	/**
	 * Whether another page follows.
	 */
	public boolean hasNext() {
		return this.nextAfter != null;
	}

}
