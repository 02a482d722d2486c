package io.seatkeeper.tokens;

import java.time.LocalDate;
import java.util.Set;

/**
 * What happened to tokens, for the audit log.
 */
public final class TokenEvents {

	private TokenEvents() {
	}

	public record TokenCreated(long id, String name, Set<TokenScope> scopes, LocalDate expiresOn, String actor) {

	}

	public record TokenRevoked(long id, String name, String actor) {

	}

}
