package io.seatkeeper.license;

/**
 * The refusal of an operation that would take a pool past its maximum. Thrown inside the
 * operation's transaction, it rolls the whole operation back.
 */
public class LicenseLimitExceeded extends RuntimeException {

	private final Pool pool;

	private final int max;

	private final int active;

	private final int requested;

	public LicenseLimitExceeded(Pool pool, int max, int active, int requested) {
		super("No licence is free in the " + pool + " pool (" + pool.label() + " " + max + ", " + active + " active, "
				+ requested + " requested)");
		this.pool = pool;
		this.max = max;
		this.active = active;
		this.requested = requested;
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
	 * How many licences the pool has free now.
	 */
	public int available() {
		return Math.max(0, this.max - this.active);
	}

}
