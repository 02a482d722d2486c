package io.seatkeeper.people;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;
import jakarta.persistence.QueryHint;

import io.seatkeeper.license.Pool;

import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.jpa.repository.QueryHints;
import org.springframework.data.repository.Repository;

interface Profiles extends Repository<Profile, Long> {

	Optional<Profile> findById(Long id);

	/**
	 * Reads a profile and locks its row, so that two changes of one profile run one after
	 * the other. Profiles are always locked before pools.
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@QueryHints(@QueryHint(name = "jakarta.persistence.lock.timeout", value = "10000"))
	@Query("select p from Profile p where p.id = :id")
	Optional<Profile> lockProfile(Long id);

	/**
	 * Reads profiles and locks their rows, in id order so that two bulk changes cannot
	 * deadlock.
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@QueryHints(@QueryHint(name = "jakarta.persistence.lock.timeout", value = "10000"))
	@Query("select p from Profile p where p.id in :ids order by p.id")
	List<Profile> lockProfiles(Collection<Long> ids);

	List<Profile> findAllById(Iterable<Long> ids);

	@Query("select p from Profile p where p.usernameKey = :usernameKey")
	Optional<Profile> findByUsernameKey(String usernameKey);

	@Query("select count(p) > 0 from Profile p where p.usernameKey = :usernameKey")
	boolean existsByUsernameKey(String usernameKey);

	@Query("select count(p) > 0 from Profile p where p.builtIn = true")
	boolean builtInExists();

	@Query("select count(p) from Profile p where p.pool = :pool and p.state = io.seatkeeper.people.ProfileState.ACTIVE and p.builtIn = false")
	long countActive(Pool pool);

	@Query("select count(p) from Profile p where p.pool = :pool and p.state = io.seatkeeper.people.ProfileState.BLOCKED and p.blockReason = io.seatkeeper.people.BlockReason.AWAITING_LICENSE")
	long countAwaiting(Pool pool);

	@Query("select p from Profile p where p.pool = :pool and p.state = io.seatkeeper.people.ProfileState.BLOCKED and p.blockReason = io.seatkeeper.people.BlockReason.AWAITING_LICENSE order by p.awaitingSince, p.id")
	List<Profile> awaitingQueue(Pool pool, org.springframework.data.domain.Limit limit);

	@Query("select count(p) from Profile p where p.state = io.seatkeeper.people.ProfileState.BLOCKED")
	long countBlocked();

	@Query("select count(p) from Profile p where p.area.id = :areaId")
	long countInArea(Long areaId);

	Profile save(Profile profile);

	Profile saveAndFlush(Profile profile);

	void delete(Profile profile);

	void flush();

}
