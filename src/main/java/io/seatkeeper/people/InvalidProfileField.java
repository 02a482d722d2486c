package io.seatkeeper.people;

/**
 * A field of a new profile breaks the rules of {@link ProfileRules}.
 */
public class InvalidProfileField extends PeopleRefusal {

	private final String field;

	public InvalidProfileField(String field, String code) {
		super(code, "The field " + field + " is not valid (" + code + ")");
		this.field = field;
	}

	@Override
	public String field() {
		return this.field;
	}

}
