package io.seatkeeper.license;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * How long each pool's row stays locked: from the gate's locking read to the end of the
 * transaction that took it. Published as the timer {@code seatkeeper.license.lock.held}
 * (per pool), and kept as the longest hold since the start, so that a sysadmin and the
 * benchmark can see that bulk work holds a pool only briefly.
 */
@Component
public class PoolLockHolds {

	private final Map<Pool, AtomicLong> longest = new EnumMap<>(Pool.class);

	private final Map<Pool, Timer> timers = new EnumMap<>(Pool.class);

	private final Map<Pool, String> keys = new EnumMap<>(Pool.class);

	PoolLockHolds(ObjectProvider<MeterRegistry> registry) {
		MeterRegistry meters = registry.getIfAvailable();
		for (Pool pool : Pool.values()) {
			this.longest.put(pool, new AtomicLong());
			this.keys.put(pool, PoolLockHolds.class.getName() + "." + pool.name());
			if (meters != null) {
				this.timers.put(pool,
						Timer.builder("seatkeeper.license.lock.held")
							.description("How long a transaction held the pool's row lock")
							.tag("pool", pool.name())
							.register(meters));
			}
		}
	}

	/**
	 * The longest time one transaction held the pool's lock since the start, or since
	 * {@link #reset()}.
	 */
	public Duration longest(Pool pool) {
		return Duration.ofNanos(this.longest.get(pool).get());
	}

	/**
	 * Forgets the longest holds, to measure from now.
	 */
	public void reset() {
		this.longest.values().forEach((value) -> value.set(0));
	}

	/**
	 * Called right after the pool's row was locked: the hold ends with the transaction.
	 */
	void locked(Pool pool) {
		String key = this.keys.get(pool);
		if (!TransactionSynchronizationManager.isSynchronizationActive()
				|| TransactionSynchronizationManager.hasResource(key)) {
			return;
		}
		long start = System.nanoTime();
		TransactionSynchronizationManager.bindResource(key, start);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCompletion(int status) {
				TransactionSynchronizationManager.unbindResourceIfPossible(key);
				long held = System.nanoTime() - start;
				PoolLockHolds.this.longest.get(pool).accumulateAndGet(held, Math::max);
				Timer timer = PoolLockHolds.this.timers.get(pool);
				if (timer != null) {
					timer.record(held, TimeUnit.NANOSECONDS);
				}
			}
		});
	}

}
