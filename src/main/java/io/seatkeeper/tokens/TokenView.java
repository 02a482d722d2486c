package io.seatkeeper.tokens;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

/**
 * A token as the console and the API list it: never its secret, only the first characters
 * of it ({@code hint}) to tell tokens apart.
 */
public record TokenView(long id, String name, Set<TokenScope> scopes, String hint, LocalDate expiresOn,
		Instant createdAt, String createdBy, Instant lastUsedAt, Instant revokedAt, String revokedBy, State state) {

	/**
	 * Whether a token is accepted.
	 */
	public enum State {

		ACTIVE, EXPIRED, REVOKED

	}

	public boolean revoked() {
		return this.state == State.REVOKED;
	}

}
