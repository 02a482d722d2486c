package io.seatkeeper.people;

import io.seatkeeper.license.Pool;
import io.seatkeeper.license.PoolCensus;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Counts a pool's profiles from their rows, for the gate's awaiting queue and its
 * consistency check.
 */
@Component
class ProfileCensus implements PoolCensus {

	private final Profiles profiles;

	ProfileCensus(Profiles profiles) {
		this.profiles = profiles;
	}

	@Override
	@Transactional(readOnly = true)
	public long countActive(Pool pool) {
		return this.profiles.countActive(pool);
	}

	@Override
	@Transactional(readOnly = true)
	public long countAwaiting(Pool pool) {
		return this.profiles.countAwaiting(pool);
	}

}
