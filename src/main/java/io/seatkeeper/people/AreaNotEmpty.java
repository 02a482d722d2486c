package io.seatkeeper.people;

/**
 * An area that still holds profiles cannot be deleted.
 */
public class AreaNotEmpty extends PeopleRefusal {

	public AreaNotEmpty(String name, long profiles) {
		super("area.notEmpty", "The area " + name + " still holds " + profiles + " profiles", name, profiles);
	}

}
