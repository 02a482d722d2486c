package io.seatkeeper.system;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.seatkeeper.scheduling.ScheduledJobs;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The one writer of {@code sign_in_failure}: the failed sign-ins of each account and each
 * address in their current window, and until when each is locked. Every change is one
 * conditional statement on its own (no surrounding transaction), so that nodes counting
 * at the same moment each add their failure and only one of them sets the lock.
 */
@Component
class SignInFailures {

	/** The longest name kept; a longer username is counted by its beginning. */
	static final int NAME_MAX = 255;

	private final JdbcTemplate jdbc;

	private final SignInProperties properties;

	private final ScheduledJobs jobs;

	SignInFailures(JdbcTemplate jdbc, SignInProperties properties, ScheduledJobs jobs) {
		this.jobs = jobs;
		this.jdbc = jdbc;
		this.properties = properties;
	}

	/**
	 * The counts of the account and the address, as they stand now.
	 */
	Standing standing(Key account, Key address, Instant now) {
		List<Count> counts = this.jdbc.query(
				"select kind, name, failures, window_start, locked_until from sign_in_failure "
						+ "where (kind = ? and name = ?) or (kind = ? and name = ?)",
				(rs, row) -> new Count(new Key(Kind.valueOf(rs.getString("kind")), rs.getString("name")),
						rs.getInt("failures"), instant(rs.getTimestamp("window_start")),
						instant(rs.getTimestamp("locked_until"))),
				account.kind().name(), account.name(), address.kind().name(), address.name());
		return new Standing(find(counts, account), find(counts, address), now, this.properties.window());
	}

	/**
	 * Counts one failure for the key; answers until when it is locked if this failure
	 * reached the maximum.
	 */
	Optional<Instant> fail(Key key, Instant now) {
		if (increment(key, now) == 0) {
			try {
				this.jdbc.update(
						"insert into sign_in_failure (kind, name, failures, window_start, last_failure) values (?, ?, 1, ?, ?)",
						key.kind().name(), key.name(), Timestamp.from(now), Timestamp.from(now));
			}
			catch (DuplicateKeyException ex) {
				// Another node inserted the row at the same moment: count on it.
				increment(key, now);
			}
		}
		Instant until = now.plus(this.properties.lockFor());
		// Of the nodes that see the maximum reached, the first locks and starts the count
		// again; for the others, the condition no longer holds.
		int locked = this.jdbc.update(
				"update sign_in_failure set locked_until = ?, failures = 0, window_start = null "
						+ "where kind = ? and name = ? and failures >= ?",
				Timestamp.from(until), key.kind().name(), key.name(), this.properties.maxFailures());
		return (locked > 0) ? Optional.of(until) : Optional.empty();
	}

	private int increment(Key key, Instant now) {
		Timestamp windowOpenedAfter = Timestamp.from(now.minus(this.properties.window()));
		return this.jdbc.update("update sign_in_failure set "
				+ "failures = case when window_start is null or window_start <= ? then 1 else failures + 1 end, "
				+ "window_start = case when window_start is null or window_start <= ? then ? else window_start end, "
				+ "last_failure = ? where kind = ? and name = ?", windowOpenedAfter, windowOpenedAfter,
				Timestamp.from(now), Timestamp.from(now), key.kind().name(), key.name());
	}

	/**
	 * Forgets the failures of the key (an account that signed in), unless it is locked.
	 */
	void reset(Key key, Instant now) {
		this.jdbc.update(
				"delete from sign_in_failure where kind = ? and name = ? and (locked_until is null or locked_until <= ?)",
				key.kind().name(), key.name(), Timestamp.from(now));
	}

	@Scheduled(fixedDelay = 10, initialDelay = 10, timeUnit = TimeUnit.MINUTES)
	void forgetOldOnSchedule() {
		this.jobs.runOnce("sign-in-failures-cleanup", "10m", this::forgetOld);
	}

	/**
	 * Deletes the rows whose window and lock both ran out; any node may, at any time.
	 */
	void forgetOld() {
		Instant now = Instant.now();
		this.jdbc.update(
				"delete from sign_in_failure where last_failure < ? and (locked_until is null or locked_until < ?)",
				Timestamp.from(now.minus(this.properties.window())), Timestamp.from(now));
	}

	private static Count find(List<Count> counts, Key key) {
		return counts.stream()
			.filter((count) -> count.key().equals(key))
			.findFirst()
			.orElse(new Count(key, 0, null, null));
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	enum Kind {

		ACCOUNT, ADDRESS

	}

	/**
	 * What is counted: an account by its lower-case username, or an address.
	 */
	record Key(Kind kind, String name) {

		Key {
			name = (name.length() > NAME_MAX) ? name.substring(0, NAME_MAX) : name;
		}

	}

	record Count(Key key, int failures, Instant windowStart, Instant lockedUntil) {

		boolean lockedAt(Instant now) {
			return this.lockedUntil != null && this.lockedUntil.isAfter(now);
		}

	}

	/**
	 * The account's and the address's counts at one moment.
	 */
	record Standing(Count account, Count address, Instant now, Duration window) {

		/** Whether the address failed within the window, or is locked. */
		boolean addressFailed() {
			return this.address.lockedAt(this.now) || (this.address.failures() > 0 && this.address.windowStart() != null
					&& this.address.windowStart().plus(this.window).isAfter(this.now));
		}

	}

}
