package io.seatkeeper.license;

import java.util.List;

/**
 * Counts the profiles behind a pool, straight from their rows. Implemented by the module
 * that owns profiles; the gate uses it for the awaiting queue and to prove its counter.
 */
public interface PoolCensus {

	/**
	 * The profiles that are active in the pool, counted row by row (the built-in
	 * administrator excluded).
	 */
	long countActive(Pool pool);

	/**
	 * The profiles that are blocked awaiting a licence of the pool.
	 */
	long countAwaiting(Pool pool);

	/**
	 * The first {@code limit} profiles awaiting a licence of the pool, oldest first: the
	 * order in which they will be activated.
	 */
	List<QueuedProfile> awaitingQueue(Pool pool, int limit);

}
