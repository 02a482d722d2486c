package io.seatkeeper.people;

/**
 * Another area already has the name, ignoring case.
 */
public class AreaNameTaken extends PeopleRefusal {

	public AreaNameTaken(String name) {
		super("area.name.taken", "An area called " + name + " already exists", name);
	}

	@Override
	public String field() {
		return "name";
	}

}
