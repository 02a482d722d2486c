package io.seatkeeper.people;

/**
 * No area has the id or name asked for.
 */
public class AreaNotFound extends PeopleRefusal {

	public AreaNotFound(Object idOrName) {
		super("area.notFound", "No area is called or numbered " + idOrName, idOrName);
	}

	@Override
	public String field() {
		return "area";
	}

}
