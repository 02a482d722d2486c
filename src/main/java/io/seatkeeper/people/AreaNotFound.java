package io.seatkeeper.people;

/**
 * No area has the id or name asked for.
 */
public class AreaNotFound extends PeopleRefusal {

	public AreaNotFound(Object idOrName) {
		// The id as text: a number argument would be formatted with grouping ("999,999").
		super("area.notFound", "No area is called or numbered " + idOrName, String.valueOf(idOrName));
	}

	@Override
	public String field() {
		return "area";
	}

}
