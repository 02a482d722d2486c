package io.seatkeeper.people;

/**
 * A filter of a profile search names no state, area or range that exists.
 */
public class InvalidFilter extends PeopleRefusal {

	private final String parameter;

	public InvalidFilter(String parameter, String code, Object... arguments) {
		super(code, "The filter " + parameter + " is not valid (" + code + ")", arguments);
		this.parameter = parameter;
	}

	@Override
	public String field() {
		return this.parameter;
	}

}
