package io.seatkeeper.people;

/**
 * No profile has the id asked for.
 */
public class ProfileNotFound extends PeopleRefusal {

	public ProfileNotFound(long id) {
		super("profile.notFound", "No profile has id " + id, id);
	}

}
