package io.seatkeeper.system;

import java.time.Instant;

/**
 * What the sign-in throttling publishes, for the audit log.
 */
public final class SignInEvents {

	private SignInEvents() {
	}

	/**
	 * A sign-in failed: a wrong password, an unknown username, or a directory bind that
	 * failed.
	 *
	 * @param username the username as typed
	 * @param address the client's address
	 * @param way how it was tried: {@code form}, {@code basic} or {@code directory} (a
	 * directory profile's bind, through the form or HTTP Basic)
	 * @param lockedUntil until when this failure locked the account or the address, or
	 * {@code null}
	 */
	public record SignInFailed(String username, String address, String way, Instant lockedUntil) {
	}

	/**
	 * A sign-in was refused before its password was checked, because the account or the
	 * address failed too often lately.
	 *
	 * @param username the username as typed
	 * @param address the client's address
	 * @param way how it was tried: {@code form} or {@code basic}
	 * @param until until when attempts are refused
	 */
	public record SignInThrottled(String username, String address, String way, Instant until) {
	}

}
