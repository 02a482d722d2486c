package io.seatkeeper.system;

import java.time.Duration;
import java.time.Instant;

import org.springframework.security.core.AuthenticationException;

/**
 * A sign-in refused before its password was checked: the account, or the address it came
 * from, failed too often lately and is locked until a moment that always comes.
 */
class TooManyFailedSignIns extends AuthenticationException {

	private final Instant until;

	TooManyFailedSignIns(Instant until) {
		super("Too many failed sign-ins");
		this.until = until;
	}

	Instant until() {
		return this.until;
	}

	/**
	 * Whole seconds until the lock runs out, at least one.
	 */
	long retryAfterSeconds(Instant now) {
		long millis = Duration.between(now, this.until).toMillis();
		return Math.max(1, (millis + 999) / 1000);
	}

}
