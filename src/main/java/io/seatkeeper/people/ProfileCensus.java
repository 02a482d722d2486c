package io.seatkeeper.people;

import java.util.ArrayList;
import java.util.List;

import io.seatkeeper.license.Pool;
import io.seatkeeper.license.PoolCensus;
import io.seatkeeper.license.QueuedProfile;

import org.springframework.data.domain.Limit;

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

	@Override
	@Transactional(readOnly = true)
	public List<QueuedProfile> awaitingQueue(Pool pool, int limit) {
		List<Profile> queue = this.profiles.awaitingQueue(pool, Limit.of(limit));
		List<QueuedProfile> positions = new ArrayList<>(queue.size());
		for (int i = 0; i < queue.size(); i++) {
			Profile profile = queue.get(i);
			positions.add(new QueuedProfile(i + 1, profile.id(), profile.username(), profile.view().awaitingSince(),
					profile.source().name()));
		}
		return positions;
	}

}
