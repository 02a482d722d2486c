package io.seatkeeper.license;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one gate. Every operation that can make a profile active in a pool calls it inside
 * the operation's own transaction; it locks the pool's row before it counts, so that no
 * two operations, on one node or several sharing a database, can both take the last
 * licence. The count it keeps is the count every page, the API and the metrics show.
 */
@Service
public class LicenseService {

	private final LicensePools pools;

	private final PoolCensus census;

	private final ApplicationEventPublisher events;

	private final Clock clock = Clock.systemUTC();

	private final UsageHistory history;

	private final PoolLockHolds holds;

	@PersistenceContext
	private EntityManager entityManager;

	LicenseService(LicensePools pools, PoolCensus census, ApplicationEventPublisher events, UsageHistory history,
			PoolLockHolds holds) {
		this.pools = pools;
		this.holds = holds;
		this.census = census;
		this.events = events;
		this.history = history;
	}

	/**
	 * Takes {@code count} licences of the pool for profiles that the caller makes active
	 * in the same transaction.
	 * @throws LicenseLimitExceeded if the pool cannot take them all; the caller's
	 * transaction then rolls back
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void acquire(Pool pool, int count) {
		if (count < 0) {
			throw new IllegalArgumentException("count must not be negative");
		}
		LicensePool row = lock(pool);
		refuseIfExpired(row, count);
		if (!row.canTake(count)) {
			throw new LicenseLimitExceeded(pool, row.maxUsers(), row.activeCount(), count);
		}
		row.take(count);
		this.history.raised(row);
	}

	/**
	 * Takes as many licences of the pool as are free, at most {@code wanted}, and says
	 * how many it took. For bulk operations that may import part of what they were given.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public int acquireUpTo(Pool pool, int wanted) {
		LicensePool row = lock(pool);
		refuseIfExpired(row, wanted);
		int granted = Math.min(Math.max(0, wanted), row.available());
		row.take(granted);
		this.history.raised(row);
		return granted;
	}

	/**
	 * Gives back {@code count} licences of the pool, for profiles that the caller blocks
	 * or deletes in the same transaction. Always allowed, even when the pool is over its
	 * maximum.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void release(Pool pool, int count) {
		if (count < 0) {
			throw new IllegalArgumentException("count must not be negative");
		}
		lock(pool).giveBack(count);
	}

	/**
	 * Moves one active profile's licence from one pool to another, for a profile that the
	 * caller moves between areas in the same transaction. Both pools are locked in a
	 * fixed order, so that two opposite moves cannot deadlock. Moving within one pool is
	 * free.
	 * @throws LicenseLimitExceeded if the target pool is full
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void transfer(Pool from, Pool to) {
		if (from == to) {
			return;
		}
		LicensePool first = lock((from.ordinal() < to.ordinal()) ? from : to);
		LicensePool second = lock((from.ordinal() < to.ordinal()) ? to : from);
		LicensePool source = (first.pool() == from) ? first : second;
		LicensePool target = (first.pool() == to) ? first : second;
		refuseIfExpired(target, 1);
		if (!target.canTake(1)) {
			throw new LicenseLimitExceeded(to, target.maxUsers(), target.activeCount(), 1);
		}
		target.take(1);
		source.giveBack(1);
		this.history.raised(target);
	}

	/**
	 * Records a refusal, after the refused operation rolled back: the audit log and the
	 * responsible person's notification react to the published
	 * {@link LicenseLimitReached}.
	 */
	@Transactional
	public void recordRefusal(LicenseLimitExceeded refusal, String operation, String subject, String actor) {
		this.events.publishEvent(new LicenseLimitReached(refusal.pool(), refusal.max(), refusal.active(),
				refusal.requested(), operation, subject, actor));
	}

	/**
	 * What each pool holds now, Primary first.
	 */
	@Transactional(readOnly = true)
	public List<PoolUsage> usage() {
		return Arrays.stream(Pool.values()).map(this::usage).toList();
	}

	/**
	 * Whether every pool has its row: false only during the first start, before the pools
	 * are created.
	 */
	@Transactional(readOnly = true)
	public boolean initialised() {
		return this.pools.findAll().size() == Pool.values().length;
	}

	/**
	 * What one pool holds now.
	 */
	@Transactional(readOnly = true)
	public PoolUsage usage(Pool pool) {
		LicensePool row = this.pools.findById(pool).orElseThrow(() -> missing(pool));
		return new PoolUsage(pool, row.maxUsers(), row.activeCount(), row.available(), this.census.countAwaiting(pool));
	}

	/**
	 * The first {@code limit} profiles awaiting a licence of the pool, oldest first.
	 */
	@Transactional(readOnly = true)
	public List<QueuedProfile> queue(Pool pool, int limit) {
		return this.census.awaitingQueue(pool, limit);
	}

	/**
	 * Compares each pool's counter with a count of the rows, and lists every pool where
	 * they differ. Empty when all is consistent.
	 */
	@Transactional(readOnly = true)
	public List<String> countMismatches() {
		List<String> mismatches = new ArrayList<>();
		for (LicensePool row : this.pools.findAll()) {
			long counted = this.census.countActive(row.pool());
			if (counted != row.activeCount()) {
				mismatches.add(row.pool() + ": counter " + row.activeCount() + ", rows " + counted);
			}
		}
		return mismatches;
	}

	/**
	 * How many licences of the pool are free now, read without a lock: an estimate that
	 * lets bulk work prepare its rows before it takes the lock, never a decision.
	 */
	@Transactional(readOnly = true)
	public int available(Pool pool) {
		return this.pools.findById(pool).orElseThrow(() -> missing(pool)).available();
	}

	/**
	 * Refuses at once, without locking, when the licence expired and {@code count}
	 * profiles would become active: bulk work asks before it writes anything.
	 * @throws LicenseLimitExceeded with {@code expired()} true
	 */
	@Transactional(readOnly = true)
	public void refuseIfExpired(Pool pool, int count) {
		refuseIfExpired(this.pools.findById(pool).orElseThrow(() -> missing(pool)), count);
	}

	/**
	 * Whether the licence is past its expiry date: then no profile may become active.
	 */
	@Transactional(readOnly = true)
	public boolean expired() {
		LocalDate today = LocalDate.now(this.clock);
		return this.pools.expiryDates().stream().anyMatch(today::isAfter);
	}

	private void refuseIfExpired(LicensePool row, int count) {
		if (count > 0 && row.expired(LocalDate.now(this.clock))) {
			throw new LicenseLimitExceeded(row.pool(), row.maxUsers(), row.activeCount(), count, row.expiresOn());
		}
	}

	private LicensePool lock(Pool pool) {
		LicensePool row = this.pools.lockPool(pool).orElseThrow(() -> missing(pool));
		this.holds.locked(pool);
		// A copy of the row read earlier in this transaction, before the lock, stays in
		// the persistence context, and the locking read does not overwrite it: counting
		// from that copy would lose the changes other transactions committed meanwhile.
		// Read the row again now that it is locked.
		this.entityManager.refresh(row);
		return row;
	}

	private static IllegalStateException missing(Pool pool) {
		return new IllegalStateException("The " + pool + " pool has no row: the database was not initialised");
	}

}
