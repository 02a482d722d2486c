package io.seatkeeper.system;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sign-in throttling: failed sign-ins (form, HTTP Basic and the directory's bind) are
 * counted per account and per client address in the database, so every node sees them.
 *
 * @param maxFailures how many failed sign-ins within the window, for one account or from
 * one address, make further attempts for it refused
 * @param window how far back failed sign-ins are counted; a window starts with the first
 * failure after the last one ran out
 * @param lockFor how long attempts are refused once the failures reached the maximum; the
 * lock always runs out, the built-in administrator's too
 */
@ConfigurationProperties("seatkeeper.security.sign-in")
public record SignInProperties(@DefaultValue("10") int maxFailures, @DefaultValue("5m") Duration window,
		@DefaultValue("5m") Duration lockFor) {

	public SignInProperties {
		if (maxFailures < 1) {
			throw new IllegalArgumentException("seatkeeper.security.sign-in.max-failures must be at least 1");
		}
		if (window.isNegative() || window.isZero() || lockFor.isNegative() || lockFor.isZero()) {
			throw new IllegalArgumentException(
					"seatkeeper.security.sign-in.window and .lock-for must be positive durations");
		}
	}

}
