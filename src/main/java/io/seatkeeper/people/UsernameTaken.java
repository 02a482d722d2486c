package io.seatkeeper.people;

/**
 * Another profile already has the username, ignoring case.
 */
public class UsernameTaken extends PeopleRefusal {

	public UsernameTaken(String username) {
		super("profile.username.taken", "The username " + username + " is already taken", username);
	}

	@Override
	public String field() {
		return "username";
	}

}
