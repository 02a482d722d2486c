package io.seatkeeper.license;

import java.time.LocalDate;

/**
 * The refusal of an operation that would take a pool past its maximum. Thrown inside the
 * operation's transaction, it rolls the whole operation back.
 */
public class LicenseLimitExceeded extends RuntimeException {

	private final Pool pool;

	private final int max;

	private final int active;

	private final int requested;

	private final LocalDate expiredOn;

	public LicenseLimitExceeded(Pool pool, int max, int active, int requested) {
		this(pool, max, active, requested, null);
	}

	/**
	 * A refusal because the licence expired on {@code expiredOn}; {@code null} for a full
	 * pool.
	 */
	public LicenseLimitExceeded(Pool pool, int max, int active, int requested, LocalDate expiredOn) {
		super((expiredOn != null)
				? "The licence expired on " + expiredOn + ": no profile may become active in the " + pool + " pool"
				: "No licence is free in the " + pool + " pool (" + pool.label() + " " + max + ", " + active
						+ " active, " + requested + " requested)");
		this.pool = pool;
		this.max = max;
		this.active = active;
		this.requested = requested;
		this.expiredOn = expiredOn;
	}

	public Pool pool() {
		return this.pool;
	}

	public int max() {
		return this.max;
	}

	public int active() {
		return this.active;
	}

	public int requested() {
		return this.requested;
	}

	/**
	 * Whether the refusal is because the licence expired, not because the pool is full.
	 */
	public boolean expired() {
		return this.expiredOn != null;
	}

	/**
	 * The licence's last valid day, when {@link #expired()}.
	 */
	public LocalDate expiredOn() {
		return this.expiredOn;
	}

	/**
	 * How many licences the pool has free now.
	 */
	public int available() {
		return Math.max(0, this.max - this.active);
	}

}
