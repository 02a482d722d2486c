package io.seatkeeper.license;

/**
 * A licence request that breaks a rule; nothing was recorded.
 */
public class InvalidLicenseRequest extends RuntimeException {

	private final String field;

	private final String code;

	private final transient Object[] arguments;

	public InvalidLicenseRequest(String field, String code, Object... arguments) {
		super(code);
		this.field = field;
		this.code = code;
		this.arguments = arguments;
	}

	/**
	 * The form field the rule concerns.
	 */
	public String field() {
		return this.field;
	}

	/**
	 * The message code naming the rule.
	 */
	public String code() {
		return this.code;
	}

	public Object[] arguments() {
		return this.arguments;
	}

}
