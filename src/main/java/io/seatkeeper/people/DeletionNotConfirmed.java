package io.seatkeeper.people;

/**
 * A deletion whose confirmation did not repeat the profile's username.
 */
public class DeletionNotConfirmed extends PeopleRefusal {

	public DeletionNotConfirmed(String username) {
		super("profile.delete.notConfirmed", "Type the username " + username + " to confirm the deletion", username);
	}

	@Override
	public String field() {
		return "confirmation";
	}

}
