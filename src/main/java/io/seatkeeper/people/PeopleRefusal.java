package io.seatkeeper.people;

/**
 * A people operation refused for a reason a person can act on. Each refusal carries the
 * message code that pages and the API show, and its arguments. The operation changed
 * nothing.
 */
public abstract class PeopleRefusal extends RuntimeException {

	private final String code;

	private final Object[] arguments;

	protected PeopleRefusal(String code, String message, Object... arguments) {
		super(message);
		this.code = code;
		this.arguments = arguments;
	}

	/**
	 * The message code in {@code messages.properties}.
	 */
	public String code() {
		return this.code;
	}

	/**
	 * The message's arguments.
	 */
	public Object[] arguments() {
		return this.arguments.clone();
	}

	/**
	 * The field the refusal is about, for forms and problem details; {@code null} when it
	 * concerns the whole operation.
	 */
	public String field() {
		return null;
	}

}
