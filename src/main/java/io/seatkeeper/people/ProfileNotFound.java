package io.seatkeeper.people;

/**
 * No profile has the id asked for.
 */
public class ProfileNotFound extends PeopleRefusal {

	public ProfileNotFound(long id) {
		// The id as text: a number argument would be formatted with grouping ("999,999").
		super("profile.notFound", "No profile has id " + id, String.valueOf(id));
	}

}
