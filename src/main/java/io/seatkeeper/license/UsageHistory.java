package io.seatkeeper.license;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import io.seatkeeper.scheduling.ScheduledJobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The usage history of the pools (R10): one row per pool and day with the day's peak, as
 * the gate raises it, and the day's latest snapshot of maximum, active and awaiting.
 * Every write happens under the pool's row lock, so any number of nodes keep one row per
 * pool and day. Rows older than {@code seatkeeper.usage.keep} (two years) are pruned by
 * the snapshot.
 */
@Service
public class UsageHistory {

	private static final Logger logger = LoggerFactory.getLogger(UsageHistory.class);

	private final JdbcTemplate jdbc;

	private final LicensePools pools;

	private final PoolCensus census;

	private final UsageHistoryProperties properties;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final PoolLockHolds holds;

	private final ScheduledJobs jobs;

	UsageHistory(JdbcTemplate jdbc, LicensePools pools, PoolCensus census, UsageHistoryProperties properties,
			TransactionTemplate transactions, PoolLockHolds holds, ScheduledJobs jobs) {
		this.holds = holds;
		this.jobs = jobs;
		this.jdbc = jdbc;
		this.pools = pools;
		this.census = census;
		this.properties = properties;
		this.transactions = transactions;
		this.clock = Clock.system(properties.zone());
	}

	/**
	 * Called by the gate, under the pool's lock, after it raised the pool's active count:
	 * raises today's peak and the all-time peak.
	 */
	void raised(LicensePool row) {
		LocalDate today = today();
		int active = row.activeCount();
		int updated = this.jdbc.update(
				"update usage_day set peak_active = greatest(peak_active, ?), active_count = ?, max_users = ?, "
						+ "updated_at = ? where pool = ? and usage_date = ?",
				active, active, row.maxUsers(), now(), row.pool().name(), Date.valueOf(today));
		if (updated == 0) {
			insert(row, today, this.census.countAwaiting(row.pool()));
		}
		raiseAllTimePeak(row.pool(), active, today);
	}

	/**
	 * Takes today's snapshot of every pool (inserted if the day has none yet, refreshed
	 * if it has) and prunes the rows past the retention. Runs on a schedule on every
	 * node.
	 */
	@Scheduled(initialDelayString = "${seatkeeper.usage.first-snapshot-after:30s}",
			fixedDelayString = "${seatkeeper.usage.snapshot-interval:1h}")
	void snapshotOnSchedule() {
		this.jobs.runOnce("usage-snapshot", "${seatkeeper.usage.snapshot-interval:1h}", this::snapshot);
	}

	/**
	 * Takes today's snapshot of every pool now, whether or not another node took one
	 * lately.
	 */
	public void snapshot() {
		if (this.pools.findAll().size() < Pool.values().length) {
			// The first start has not created the pools yet.
			return;
		}
		for (Pool pool : Pool.values()) {
			this.transactions.executeWithoutResult((status) -> snapshot(pool));
		}
		int pruned = prune();
		if (pruned > 0) {
			logger.info("Pruned {} usage history rows older than {}", pruned, this.properties.keep());
		}
	}

	private void snapshot(Pool pool) {
		// Counted before the lock, so that the pool is held only for the day's row.
		long awaiting = this.census.countAwaiting(pool);
		LicensePool row = this.pools.lockPool(pool)
			.orElseThrow(() -> new IllegalStateException("The " + pool + " pool has no row"));
		this.holds.locked(pool);
		LocalDate today = today();
		int updated = this.jdbc.update(
				"update usage_day set peak_active = greatest(peak_active, ?), active_count = ?, max_users = ?, "
						+ "awaiting = ?, updated_at = ? where pool = ? and usage_date = ?",
				row.activeCount(), row.activeCount(), row.maxUsers(), awaiting, now(), pool.name(),
				Date.valueOf(today));
		if (updated == 0) {
			insert(row, today, awaiting);
		}
		raiseAllTimePeak(pool, row.activeCount(), today);
	}

	/**
	 * Deletes the rows older than the retention; returns how many.
	 */
	@Transactional
	public int prune() {
		LocalDate oldestKept = today().minus(this.properties.keep());
		return this.jdbc.update("delete from usage_day where usage_date < ?", Date.valueOf(oldestKept));
	}

	/**
	 * The pool's days within the period, oldest first. Days without a row (the
	 * application was not running) are left out.
	 */
	@Transactional(readOnly = true)
	public List<UsageDay> days(Pool pool, UsagePeriod period) {
		LocalDate today = today();
		return this.jdbc.query(
				"select usage_date, max_users, active_count, peak_active, awaiting from usage_day "
						+ "where pool = ? and usage_date between ? and ? order by usage_date",
				(rs, i) -> new UsageDay(rs.getDate(1).toLocalDate(), rs.getInt(2), rs.getInt(3), rs.getInt(4),
						rs.getInt(5)),
				pool.name(), Date.valueOf(period.from(today)), Date.valueOf(period.to(today)));
	}

	/**
	 * The years that hold history for the pool, newest first, for the year selector.
	 */
	@Transactional(readOnly = true)
	public List<Integer> years(Pool pool) {
		return this.jdbc
			.queryForList("select distinct extract(year from usage_date) from usage_day where pool = ?", Number.class,
					pool.name())
			.stream()
			.map(Number::intValue)
			.sorted((a, b) -> Integer.compare(b, a))
			.toList();
	}

	/**
	 * The pool's all-time peak and the day it was first reached.
	 */
	@Transactional(readOnly = true)
	public UsagePeak allTimePeak(Pool pool) {
		return this.jdbc.queryForObject("select peak_active, peak_date from usage_peak where pool = ?", (rs,
				i) -> new UsagePeak(pool, rs.getInt(1), (rs.getDate(2) != null) ? rs.getDate(2).toLocalDate() : null),
				pool.name());
	}

	/**
	 * What the License page shows of each pool's history: its all-time peak and the years
	 * to choose from.
	 */
	@Transactional(readOnly = true)
	public List<PoolHistory> overview() {
		return Arrays.stream(Pool.values())
			.map((pool) -> new PoolHistory(pool, allTimePeak(pool), years(pool)))
			.toList();
	}

	/**
	 * Today, in the history's time zone.
	 */
	public LocalDate today() {
		return LocalDate.now(this.clock);
	}

	private void insert(LicensePool row, LocalDate day, long awaiting) {
		this.jdbc.update(
				"insert into usage_day (pool, usage_date, max_users, active_count, awaiting, peak_active, updated_at) "
						+ "values (?, ?, ?, ?, ?, ?, ?)",
				row.pool().name(), Date.valueOf(day), row.maxUsers(), row.activeCount(), awaiting, row.activeCount(),
				now());
	}

	private void raiseAllTimePeak(Pool pool, int active, LocalDate today) {
		this.jdbc.update("update usage_peak set peak_active = ?, peak_date = ? where pool = ? and peak_active < ?",
				active, Date.valueOf(today), pool.name(), active);
	}

	private Timestamp now() {
		return Timestamp.from(Instant.now(this.clock));
	}

	/**
	 * One pool's history as the License page shows it.
	 *
	 * @param pool the pool
	 * @param peak its all-time peak
	 * @param years the years that hold history, newest first
	 */
	public record PoolHistory(Pool pool, UsagePeak peak, List<Integer> years) {

	}

}
