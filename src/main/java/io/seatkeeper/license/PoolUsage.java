package io.seatkeeper.license;

/**
 * What a pool holds now: the figures every page, the API and the metrics show.
 *
 * @param pool the pool
 * @param max its maximum
 * @param active the active profiles that hold one of its licences
 * @param available the licences free ({@code max - active}, never below zero)
 * @param awaiting blocked profiles waiting for one of its licences
 */
public record PoolUsage(Pool pool, int max, int active, int available, long awaiting) {

	/**
	 * Whether more profiles are active than the pool allows (after its maximum shrank).
	 */
	public boolean over() {
		return this.active > this.max;
	}

	/**
	 * Whether no licence of the pool is free: every one is used, or more than every one.
	 */
	public boolean full() {
		return this.active >= this.max;
	}

	/**
	 * How many more profiles are active than the pool allows (0 when it is within its
	 * maximum).
	 */
	public int excess() {
		return Math.max(0, this.active - this.max);
	}

	/**
	 * How full the pool is, in percent, capped at 100.
	 */
	public int percentUsed() {
		if (this.max == 0) {
			return (this.active > 0) ? 100 : 0;
		}
		return (int) Math.min(100, Math.round(this.active * 100.0 / this.max));
	}

}
