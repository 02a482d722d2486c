package io.seatkeeper.tokens;

/**
 * A token that cannot be created as asked: names the field and the message code.
 */
public class TokenRefusal extends RuntimeException {

	private final String field;

	private final String code;

	private final transient Object[] arguments;

	public TokenRefusal(String field, String code, String message, Object... arguments) {
		super(message);
		this.field = field;
		this.code = code;
		this.arguments = arguments;
	}

	/**
	 * The request field at fault ({@code name}, {@code scopes}, {@code expiresOn}).
	 */
	public String field() {
		return this.field;
	}

	/**
	 * The stable message code.
	 */
	public String code() {
		return this.code;
	}

	public Object[] arguments() {
		return this.arguments;
	}

}
