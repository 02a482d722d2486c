package io.seatkeeper.directory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.seatkeeper.directory.DirectoryRunView.RunError;
import io.seatkeeper.people.jobs.JobHeartbeat;

import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The runs in {@code directory_run}, with the heartbeat of each running one, and the lock
 * row that lets one run at a time, on any node: a run takes it with a conditional update,
 * which only one node's statement can win.
 */
@Component
class DirectoryRuns {

	/** The errors kept in the report, at most. */
	static final int ERRORS_KEPT = 200;

	/** The message of a run whose node stopped. */
	static final String NODE_STOPPED = "directory.run.nodeStopped";

	private final JdbcTemplate jdbc;

	private final JobHeartbeat heartbeat;

	private final MessageSource messages;

	DirectoryRuns(JdbcTemplate jdbc, JobHeartbeat heartbeat, MessageSource messages) {
		this.jdbc = jdbc;
		this.heartbeat = heartbeat;
		this.messages = messages;
	}

	/**
	 * Takes the lock for the run; false when another run holds it (one that has not given
	 * it back within {@code staleAfter} is taken to have died with its node).
	 */
	boolean lock(String runId, Duration staleAfter) {
		Instant now = Instant.now();
		return this.jdbc.update(
				"update directory_lock set run_id = ?, locked_at = ? where id = 1 and (run_id is null or locked_at < ?)",
				runId, Timestamp.from(now), Timestamp.from(now.minus(staleAfter))) == 1;
	}

	void unlock(String runId) {
		this.jdbc.update("update directory_lock set run_id = null, locked_at = null where id = 1 and run_id = ?",
				runId);
	}

	void insert(String id, String startedBy) {
		Timestamp now = Timestamp.from(Instant.now());
		this.jdbc.update(
				"insert into directory_run (id, state, phase, started_by, started_at, heartbeat_at, heartbeat_node) "
						+ "values (?, ?, ?, ?, ?, ?, ?)",
				id, DirectoryRunView.RUNNING, "READING", startedBy, now, now, this.heartbeat.node());
	}

	/**
	 * This node's heartbeat of a running run.
	 */
	void beat(String id) {
		this.jdbc.update(
				"update directory_run set heartbeat_at = ?, heartbeat_node = ? where id = ? and state = 'RUNNING'",
				Timestamp.from(Instant.now()), this.heartbeat.node(), id);
	}

	/**
	 * The running runs whose last heartbeat is older than the given instant, with the
	 * node that ran each.
	 */
	Map<String, String> stopped(Instant heartbeatBefore) {
		Map<String, String> runs = new LinkedHashMap<>();
		this.jdbc.query("select id, heartbeat_node from directory_run where state = 'RUNNING' and heartbeat_at < ?",
				(rs) -> {
					runs.put(rs.getString("id"), rs.getString("heartbeat_node"));
				}, Timestamp.from(heartbeatBefore));
		return runs;
	}

	/**
	 * Fails a run whose node stopped, if it still runs without a heartbeat since the
	 * given instant; false when another node failed it first or its node beat again.
	 */
	boolean failStopped(String id, Instant heartbeatBefore) {
		return this.jdbc.update(
				"update directory_run set state = ?, phase = null, finished_at = ?, message = ? "
						+ "where id = ? and state = 'RUNNING' and heartbeat_at < ?",
				DirectoryRunView.FAILED, Timestamp.from(Instant.now()), NODE_STOPPED, id,
				Timestamp.from(heartbeatBefore)) == 1;
	}

	/**
	 * The running runs whose heartbeat this node writes.
	 */
	List<String> runningOn(String node) {
		return this.jdbc.queryForList("select id from directory_run where state = 'RUNNING' and heartbeat_node = ?",
				String.class, node);
	}

	/**
	 * Fails a run of this node, which is stopping, if it still runs; false when it ended
	 * meanwhile.
	 */
	boolean failStoppedOn(String id, String node) {
		return this.jdbc.update(
				"update directory_run set state = ?, phase = null, finished_at = ?, message = ? "
						+ "where id = ? and state = 'RUNNING' and heartbeat_node = ?",
				DirectoryRunView.FAILED, Timestamp.from(Instant.now()), NODE_STOPPED, id, node) == 1;
	}

	/**
	 * Moves a run that waits for confirmation to running; false when it does not wait.
	 */
	boolean confirm(String id, String sysadmin) {
		return this.jdbc.update(
				"update directory_run set state = ?, phase = 'READING', confirmed_by = ?, message = null, "
						+ "heartbeat_at = ?, heartbeat_node = ? where id = ? and state = ?",
				DirectoryRunView.RUNNING, sysadmin, Timestamp.from(Instant.now()), this.heartbeat.node(), id,
				DirectoryRunView.NEEDS_CONFIRMATION) == 1;
	}

	/**
	 * Records how the run reads (FULL or DELTA) and where the domain controller stood at
	 * its start (none for a plain LDAP server), with the hash of the scope it reads.
	 */
	void reads(String id, String mode, Long usn, String invocationId, String scopeHash) {
		this.jdbc.update(
				"update directory_run set sync_mode = ?, usn = ?, invocation_id = ?, scope_hash = ? where id = ?", mode,
				usn, invocationId, scopeHash, id);
	}

	/**
	 * Where the last successful run found the domain controller, if it did: what the next
	 * delta reads after.
	 */
	Optional<Baseline> lastSuccessful() {
		return this.jdbc
			.query("select usn, invocation_id, scope_hash from directory_run where state = 'DONE' "
					+ "order by finished_at desc fetch first 1 rows only",
					(rs, rowNum) -> (rs.getObject("usn") == null) ? null
							: new Baseline(rs.getLong("usn"), rs.getString("invocation_id"),
									rs.getString("scope_hash")))
			.stream()
			.filter(java.util.Objects::nonNull)
			.findFirst();
	}

	/**
	 * The domain controller's marks at the start of a successful run.
	 *
	 * @param usn its {@code highestCommittedUSN}
	 * @param invocationId its database's {@code invocationId}
	 * @param scopeHash the hash of the settings that chose the entries
	 */
	record Baseline(long usn, String invocationId, String scopeHash) {
	}

	void reading(String id, int read) {
		running(this.jdbc.update("update directory_run set entries_read = ? where id = ? and state = 'RUNNING'", read,
				id), id);
	}

	void applying(String id, int planned) {
		this.jdbc.update("update directory_run set phase = 'APPLYING', planned = ?, applied = 0 where id = ?", planned,
				id);
	}

	void applied(String id, int applied) {
		running(this.jdbc.update("update directory_run set applied = ? where id = ? and state = 'RUNNING'", applied,
				id), id);
	}

	/**
	 * Stops a run, between two of its steps, that another node failed meanwhile because
	 * its heartbeat stopped for longer than the timeout: the sync lock is no longer its.
	 */
	private static void running(int updated, String id) {
		if (updated == 0) {
			throw new IllegalStateException("Directory run " + id + " was failed meanwhile: its heartbeat stopped");
		}
	}

	void finish(String id, String state, RunReport report, String message) {
		finish(id, state, report, message, null);
	}

	/**
	 * Ends a run with its report, the code of why it failed or stopped, if it did, and
	 * what that code's text names.
	 */
	void finish(String id, String state, RunReport report, String message, String detail) {
		List<RunError> errors = report.errors();
		StringBuilder text = new StringBuilder();
		for (RunError error : errors.subList(0, Math.min(errors.size(), ERRORS_KEPT))) {
			String line = clean(error.dn()) + "\t" + error.code() + "\t" + clean(error.value()) + "\n";
			if (text.length() + line.length() > 19000) {
				break;
			}
			text.append(line);
		}
		this.jdbc.update(
				"""
						update directory_run set state = ?, phase = null, finished_at = ?, entries_read = ?, created_active = ?,
						    created_awaiting = ?, activated = ?, updated = ?, blocked_disabled = ?, blocked_removed = ?,
						    unchanged = ?, left_awaiting = ?, would_block = ?, managed = ?, excluded = ?, rehired = ?, moved = ?,
						  error_count = ?, errors = ?,
						    message = ?, message_detail = ?
						where id = ? and state = 'RUNNING'""",
				state, Timestamp.from(Instant.now()), report.entriesRead(), report.createdActive(),
				report.createdAwaiting(), report.activated(), report.updated(), report.blockedDisabled(),
				report.blockedRemoved(), report.unchanged(), report.leftAwaiting(), report.wouldBlock(),
				report.managed(), report.excludedCount(), report.rehired(), report.moved(), errors.size(),
				text.toString(), message,
				(detail != null && detail.length() > 1000) ? detail.substring(0, 1000) : detail, id);
	}

	Optional<DirectoryRunView> find(String id) {
		return this.jdbc.query("select * from directory_run where id = ?", this::view, id).stream().findFirst();
	}

	List<DirectoryRunView> recent(int limit) {
		return this.jdbc.query("select * from directory_run order by started_at desc fetch first ? rows only",
				this::view, limit);
	}

	Optional<String> running() {
		return this.jdbc
			.queryForList("select run_id from directory_lock where id = 1 and run_id is not null", String.class)
			.stream()
			.findFirst();
	}

	private static String clean(String value) {
		return (value != null) ? value.replaceAll("[\\t\\r\\n]", " ") : "";
	}

	private DirectoryRunView view(ResultSet rs, int rowNum) throws SQLException {
		List<RunError> errors = new ArrayList<>();
		String text = rs.getString("errors");
		if (text != null) {
			for (String line : text.split("\n")) {
				String[] parts = line.split("\t", -1);
				if (parts.length == 3) {
					errors.add(new RunError(parts[0], parts[1], parts[2]));
				}
			}
		}
		Timestamp finished = rs.getTimestamp("finished_at");
		String code = rs.getString("message");
		String detail = rs.getString("message_detail");
		return new DirectoryRunView(rs.getString("id"), rs.getString("state"), rs.getString("phase"),
				rs.getString("started_by"), rs.getTimestamp("started_at").toInstant(),
				(finished != null) ? finished.toInstant() : null, rs.getInt("entries_read"), rs.getInt("planned"),
				rs.getInt("applied"), rs.getInt("created_active"), rs.getInt("created_awaiting"),
				rs.getInt("activated"), rs.getInt("updated"), rs.getInt("blocked_disabled"),
				rs.getInt("blocked_removed"), rs.getInt("unchanged"), rs.getInt("left_awaiting"),
				rs.getInt("would_block"), rs.getInt("managed"), rs.getInt("excluded"), rs.getInt("rehired"),
				rs.getInt("moved"), rs.getInt("error_count"), errors,
				text(code, detail, rs.getInt("would_block"), rs.getInt("managed")), code, detail,
				rs.getString("confirmed_by"), rs.getString("sync_mode"));
	}

	/**
	 * The code's text, in English: what the API answers next to the code.
	 */
	String text(String code, String detail, int wouldBlock, int managed) {
		if (code == null) {
			return null;
		}
		return this.messages.getMessage(code, DirectoryRunView.arguments(code, detail, wouldBlock, managed), code,
				Locale.ENGLISH);
	}

}
