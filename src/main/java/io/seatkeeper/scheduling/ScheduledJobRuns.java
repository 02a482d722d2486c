package io.seatkeeper.scheduling;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The one writer of {@code scheduled_job}: each job's runs so far, and its last run's
 * start, end, node and outcome. Only the node holding the job's lock writes its row, each
 * change in a statement of its own.
 */
@Component
class ScheduledJobRuns {

	private final JdbcTemplate jdbc;

	ScheduledJobRuns(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	Instant started(String name, String node) {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		if (update(name, node, now) == 0) {
			try {
				this.jdbc.update(
						"insert into scheduled_job (name, runs, last_started_at, last_node, last_outcome) values (?, 1, ?, ?, 'RUNNING')",
						name, Timestamp.from(now), node);
			}
			catch (DuplicateKeyException ex) {
				update(name, node, now);
			}
		}
		return now;
	}

	void finished(String name, Instant started, String failure) {
		this.jdbc.update(
				"update scheduled_job set last_finished_at = ?, last_outcome = ?, last_message = ? where name = ? and last_started_at = ?",
				Timestamp.from(Instant.now()), (failure == null) ? "SUCCEEDED" : "FAILED",
				(failure == null || failure.length() <= 1000) ? failure : failure.substring(0, 1000), name,
				Timestamp.from(started));
	}

	List<Run> all() {
		return this.jdbc.query(
				"select name, runs, last_started_at, last_finished_at, last_node, last_outcome, last_message from scheduled_job order by name",
				(rs, i) -> new Run(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant(),
						(rs.getTimestamp(4) != null) ? rs.getTimestamp(4).toInstant() : null, rs.getString(5),
						rs.getString(6), rs.getString(7)));
	}

	private int update(String name, String node, Instant now) {
		return this.jdbc.update(
				"update scheduled_job set runs = runs + 1, last_started_at = ?, last_finished_at = null, last_node = ?, last_outcome = 'RUNNING', last_message = null where name = ?",
				Timestamp.from(now), node, name);
	}

	/**
	 * One job's record.
	 */
	record Run(String name, long runs, Instant lastStarted, Instant lastFinished, String node, String outcome,
			String message) {
	}

}
