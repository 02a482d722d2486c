package io.seatkeeper.people;

import java.io.IOException;
import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.seatkeeper.license.Pool;
import io.seatkeeper.people.ProfileEvents.ProfilesExported;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The reclaim report (R19): per pool, the active profiles that have not signed in for at
 * least N days ({@code dormant}), those that never signed in and were created more than N
 * days ago ({@code neverSignedIn}), and the licences blocking them would free. Every
 * source counts (directory and SCIM profiles too: their last sign-in is Seatkeeper's);
 * the built-in administrator uses no licence and is never counted.
 * <p>
 * Each count is one range of the index {@code ix_profile_dormant} (state, pool, last
 * sign-in, created, built-in); the list pages in id order (keyset, on the state's id
 * index), and the CSV streams every match in chunks, so none of them grows with the table
 * but by what it returns.
 */
@Service
public class DormantReport {

	/** The days when none are asked for. */
	public static final int DEFAULT_DAYS = 90;

	/** The most days a report looks back (a hundred years). */
	public static final int MAX_DAYS = ProfileQuery.MAX_DORMANT_DAYS;

	/** The profiles a page lists when no limit is asked for. */
	public static final int DEFAULT_LIMIT = 100;

	/** The most profiles a page lists. */
	public static final int MAX_LIMIT = ProfilePage.MAX_LIMIT;

	private static final String DORMANT = "(p.last_sign_in_at < ? or (p.last_sign_in_at is null and p.created_at < ?))";

	private static final int CHUNK = 5000;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final ApplicationEventPublisher events;

	DormantReport(DataSource dataSource, TransactionTemplate transactions, ApplicationEventPublisher events) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = transactions;
		this.events = events;
	}

	/**
	 * The days of a request: {@link #DEFAULT_DAYS} when none is given, else a whole
	 * number from 1 to {@link #MAX_DAYS}.
	 * @throws InvalidDormantDays if it is not one
	 */
	public static int days(String days) {
		if (days == null || days.isBlank()) {
			return DEFAULT_DAYS;
		}
		String text = days.strip();
		if (!text.matches("[0-9]{1,6}")) {
			throw new InvalidDormantDays(days);
		}
		int value = Integer.parseInt(text);
		if (value < 1 || value > MAX_DAYS) {
			throw new InvalidDormantDays(days);
		}
		return value;
	}

	/**
	 * The counts of every pool, in the pools' order.
	 */
	public List<PoolCounts> pools(int days) {
		Timestamp cutoff = cutoff(days);
		List<PoolCounts> pools = new ArrayList<>();
		for (Pool pool : Pool.values()) {
			long dormant = this.jdbc.queryForObject(
					"select count(*) from profile p where p.state = 'ACTIVE' "
							+ "and p.pool = ? and p.last_sign_in_at < ? and p.built_in = false",
					Long.class, pool.name(), cutoff);
			long never = this.jdbc.queryForObject("select count(*) from profile p where p.state = 'ACTIVE' "
					+ "and p.pool = ? and p.last_sign_in_at is null and p.created_at < ? and p.built_in = false",
					Long.class, pool.name(), cutoff);
			pools.add(new PoolCounts(pool, dormant, never, dormant + never));
		}
		return pools;
	}

	/**
	 * One page of the dormant and never-signed-in profiles, in id order, after the
	 * profile {@code afterId} ({@code null} for the first page).
	 * @param limit the most the page holds, from 1 to {@link #MAX_LIMIT}
	 */
	public Page page(int days, Long afterId, int limit) {
		int size = Math.max(1, Math.min(limit, MAX_LIMIT));
		Timestamp cutoff = cutoff(days);
		List<Dormant> rows = chunk(cutoff, (afterId != null) ? afterId : 0L, size + 1);
		List<Dormant> page = rows.subList(0, Math.min(rows.size(), size));
		Long next = (rows.size() > size) ? page.get(page.size() - 1).id() : null;
		return new Page(List.copyOf(page), next);
	}

	/**
	 * Writes every dormant and never-signed-in profile to the writer as CSV (UTF-8, a
	 * header row, cells neutralised against formula injection), streamed in chunks, and
	 * records the export in the audit log. Returns how many profiles it wrote.
	 * @param channel how the export was asked for ({@code console} or {@code api})
	 */
	public long writeCsv(int days, Writer out, String channel, String actor) throws IOException {
		Timestamp cutoff = cutoff(days);
		long rows = 0;
		// Not closed here: the caller owns the writer (a response's, say).
		CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180);
		csv.printRecord("id", "username", "pool", "lastSignInAt", "createdAt");
		long after = 0;
		List<Dormant> chunk;
		do {
			chunk = chunk(cutoff, after, CHUNK);
			for (Dormant profile : chunk) {
				csv.printRecord(profile.id(), SpreadsheetCells.neutralise(profile.username()), profile.pool().name(),
						(profile.lastSignInAt() != null) ? profile.lastSignInAt().toString() : "",
						profile.createdAt().toString());
				after = profile.id();
				rows++;
			}
			csv.flush();
		}
		while (chunk.size() == CHUNK);
		long written = rows;
		this.transactions.executeWithoutResult((status) -> this.events.publishEvent(
				new ProfilesExported("DORMANT_REPORT days=" + days, "all", "dormant", written, channel, actor)));
		return written;
	}

	private List<Dormant> chunk(Timestamp cutoff, long afterId, int size) {
		return this.jdbc.query(
				"select p.id, p.username, p.pool, p.last_sign_in_at, p.created_at from profile p "
						+ "where p.state = 'ACTIVE' and p.id > ? and p.built_in = false and " + DORMANT
						+ " order by p.id fetch first ? rows only",
				DormantReport::dormant, afterId, cutoff, cutoff, size);
	}

	private static Dormant dormant(ResultSet rs, int row) throws SQLException {
		Timestamp last = rs.getTimestamp(4);
		return new Dormant(rs.getLong(1), rs.getString(2), Pool.valueOf(rs.getString(3)),
				(last != null) ? last.toInstant() : null, rs.getTimestamp(5).toInstant());
	}

	static Timestamp cutoff(int days) {
		return Timestamp.from(Instant.now().minus(Duration.ofDays(days)));
	}

	/**
	 * One pool's figures.
	 *
	 * @param pool the pool
	 * @param dormant active profiles whose last sign-in is at least the days ago
	 * @param neverSignedIn active profiles that never signed in, created more than the
	 * days ago
	 * @param wouldFree the licences blocking all of them would free
	 */
	public record PoolCounts(Pool pool, long dormant, long neverSignedIn, long wouldFree) {
	}

	/**
	 * A dormant or never-signed-in profile.
	 *
	 * @param lastSignInAt its last sign-in, {@code null} if it never signed in
	 */
	public record Dormant(long id, String username, Pool pool, Instant lastSignInAt, Instant createdAt) {
	}

	/**
	 * A page of the list, and the id to start the next one after ({@code null} on the
	 * last).
	 */
	public record Page(List<Dormant> profiles, Long nextAfter) {
	}

}
