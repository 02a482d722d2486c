package io.seatkeeper.people;

/**
 * Someone else changed the profile while this change was being made; nothing was changed,
 * and the change can be tried again.
 */
public class ProfileChangedMeanwhile extends PeopleRefusal {

	public ProfileChangedMeanwhile(String username) {
		super("profile.changedMeanwhile", "The profile " + username + " was changed meanwhile; try again", username);
	}

}
