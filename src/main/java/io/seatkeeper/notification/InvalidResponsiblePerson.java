package io.seatkeeper.notification;

/**
 * The address given for the responsible person is not one e-mail address.
 */
public class InvalidResponsiblePerson extends RuntimeException {

	private final String code;

	InvalidResponsiblePerson(String code) {
		super(code);
		this.code = code;
	}

	/**
	 * The message code that says why.
	 */
	public String code() {
		return this.code;
	}

}
