package io.seatkeeper.tokens;

/**
 * No token has that id.
 */
public class TokenNotFound extends RuntimeException {

	private final long id;

	public TokenNotFound(long id) {
		super("No token has the id " + id);
		this.id = id;
	}

	public long id() {
		return this.id;
	}

}
