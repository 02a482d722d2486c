package io.seatkeeper.people;

import io.seatkeeper.license.Pool;

import org.springframework.security.authentication.DisabledException;

/**
 * A sign-in whose password or identity was right, of a profile that awaits a licence of
 * its pool (a dormant profile that came back while the pool was full, for instance): no
 * session; the sign-in page shows its place in the queue.
 */
public class AwaitingLicense extends DisabledException {

	private final String username;

	private final Pool pool;

	private final long position;

	public AwaitingLicense(String username, Pool pool, long position) {
		super("The profile " + username + " awaits a licence of " + pool.label() + " (position " + position + ")");
		this.username = username;
		this.pool = pool;
		this.position = position;
	}

	public String username() {
		return this.username;
	}

	public Pool pool() {
		return this.pool;
	}

	public long position() {
		return this.position;
	}

}
