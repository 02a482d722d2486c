package io.seatkeeper;

import io.seatkeeper.people.NewProfile;
import io.seatkeeper.people.ProfileSource;

/**
 * The profiles tests add: local ones, {@code <username>@example.org}, named First Last,
 * unless a test needs other values.
 */
public final class NewProfiles {

	private NewProfiles() {
	}

	/**
	 * A local profile in the Primary Area, without a password.
	 */
	public static NewProfile aProfile(String username) {
		return aProfile(username, null);
	}

	/**
	 * A local profile in the area ({@code null} for the Primary Area), without a
	 * password.
	 */
	public static NewProfile aProfile(String username, Long areaId) {
		return aProfile(username, areaId, null);
	}

	/**
	 * A local profile in the area ({@code null} for the Primary Area) that can sign in
	 * with the password ({@code null} for none).
	 */
	public static NewProfile aProfile(String username, Long areaId, String password) {
		return new NewProfile(username, username + "@example.org", "First", "Last", areaId, password,
				ProfileSource.LOCAL);
	}

	/**
	 * A local profile in the Primary Area with these names and address, without a
	 * password.
	 */
	public static NewProfile aProfile(String username, String email, String firstName, String lastName) {
		return new NewProfile(username, email, firstName, lastName, null, null, ProfileSource.LOCAL);
	}

}
