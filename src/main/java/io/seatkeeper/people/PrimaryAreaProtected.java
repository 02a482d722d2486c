package io.seatkeeper.people;

/**
 * The Primary Area can be neither renamed nor deleted.
 */
public class PrimaryAreaProtected extends PeopleRefusal {

	public PrimaryAreaProtected() {
		super("area.primary.protected", "The Primary Area can be neither renamed nor deleted");
	}

}
