package io.seatkeeper.people.importing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import io.seatkeeper.people.ImportJobView;
import io.seatkeeper.people.ImportMode;
import io.seatkeeper.people.jobs.JobHeartbeat;
import io.seatkeeper.people.jobs.StoppedJobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The uploads and their reports, in {@code import_job}, and the heartbeat of each running
 * import.
 */
@Component
public class ImportJobs implements StoppedJobs {

	private static final Logger logger = LoggerFactory.getLogger(ImportJobs.class);

	/** The message of an import whose node stopped. */
	static final String NODE_STOPPED = "import.failed.nodeStopped";

	private static final String COLUMNS = "id, file_name, created_by, created_at, status, mode, total_rows, created, "
			+ "skipped, refused, invalid, message, finished_at";

	private final JdbcTemplate jdbc;

	private final JobHeartbeat heartbeat;

	ImportJobs(DataSource dataSource, JobHeartbeat heartbeat) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.heartbeat = heartbeat;
	}

	public void insert(String id, String fileName, String content, String createdBy, int totalRows) {
		this.jdbc.update(
				"insert into import_job (id, file_name, content, created_by, created_at, status, total_rows) "
						+ "values (?, ?, ?, ?, ?, 'PREVIEWED', ?)",
				id, fileName, content, createdBy, Timestamp.from(Instant.now()), totalRows);
	}

	public Optional<ImportJobView> find(String id) {
		return this.jdbc.query("select " + COLUMNS + " from import_job where id = ?", ImportJobs::view, id)
			.stream()
			.findFirst();
	}

	public List<ImportJobView> recent(int limit) {
		return this.jdbc.query("select " + COLUMNS + " from import_job order by created_at desc", (rs) -> {
			List<ImportJobView> views = new java.util.ArrayList<>();
			while (rs.next() && views.size() < limit) {
				views.add(view(rs, 0));
			}
			return views;
		});
	}

	public String content(String id) {
		return this.jdbc.queryForObject("select content from import_job where id = ?", String.class, id);
	}

	public Optional<String> report(String id) {
		return this.jdbc.queryForList("select report from import_job where id = ?", String.class, id)
			.stream()
			.filter((report) -> report != null)
			.findFirst();
	}

	/**
	 * Moves a previewed upload to running, with this node's first heartbeat; false when
	 * it was not waiting (confirmed twice, or by two people at once).
	 */
	public boolean start(String id, ImportMode mode) {
		return this.jdbc.update(
				"update import_job set status = 'RUNNING', mode = ?, heartbeat_at = ?, heartbeat_node = ? "
						+ "where id = ? and status = 'PREVIEWED'",
				mode.name(), Timestamp.from(Instant.now()), this.heartbeat.node(), id) == 1;
	}

	/**
	 * This node's heartbeat of a running import.
	 */
	public void beat(String id) {
		beat(id, -1);
	}

	/**
	 * This node's heartbeat of a running import, with how many of its rows it has done
	 * ({@code -1}: not known here), so that any node shows its progress. The progress is
	 * written first, to a row of its own that the import's transaction never holds; the
	 * heartbeat's update of the job's row then waits while the import waits at the gate.
	 */
	public void beat(String id, int rowsDone) {
		Timestamp now = Timestamp.from(Instant.now());
		if (rowsDone >= 0
				&& this.jdbc.update("update import_progress set rows_done = ?, updated_at = ? where job_id = ?",
						rowsDone, now, id) == 0) {
			try {
				this.jdbc.update("insert into import_progress (job_id, rows_done, updated_at) values (?, ?, ?)", id,
						rowsDone, now);
			}
			catch (org.springframework.dao.DuplicateKeyException ex) {
				// Written meanwhile: the next beat updates it.
			}
		}
		this.jdbc.update(
				"update import_job set heartbeat_at = ?, heartbeat_node = ? where id = ? and status = 'RUNNING'", now,
				this.heartbeat.node(), id);
	}

	/**
	 * Records how a running import ended. An import that another node failed meanwhile
	 * (its heartbeat stopped for longer than the timeout) stays failed, and one that
	 * would have been done rolls back: a job reported failed has imported nothing. (A job
	 * already done is one whose import, in its own transaction, corrects its report after
	 * the gate granted fewer licences than it expected.)
	 */
	public void finish(String id, String status, int created, int skipped, int refused, int invalid, String message,
			String report) {
		int updated = this.jdbc.update(
				"update import_job set status = ?, created = ?, skipped = ?, refused = ?, invalid = ?, "
						+ "message = ?, report = ?, finished_at = ? where id = ? and status in ('RUNNING', 'DONE')",
				status, created, skipped, refused, invalid, message, report, Timestamp.from(Instant.now()), id);
		if (updated == 0 && "DONE".equals(status)) {
			throw new IllegalStateException("Import " + id + " was failed meanwhile: its heartbeat stopped");
		}
	}

	/**
	 * Percent done of a running import as its node last wrote it with its heartbeat, or
	 * {@code -1} when it is not running.
	 */
	public int percentDone(String id) {
		return this.jdbc
			.query("select p.rows_done, j.total_rows from import_job j join import_progress p on p.job_id = j.id "
					+ "where j.id = ? and j.status = 'RUNNING'",
					(rs, n) -> (int) Math.min(100, rs.getLong(1) * 100L / Math.max(1, rs.getLong(2))), id)
			.stream()
			.findFirst()
			.orElse(-1);
	}

	/**
	 * Marks as failed the imports whose node stopped while they ran: an import runs in
	 * one transaction, which the database rolled back when the node's connection went, so
	 * nothing of them was imported.
	 */
	@Override
	public int failStopped(Instant heartbeatBefore) {
		Timestamp before = Timestamp.from(heartbeatBefore);
		int failed = 0;
		for (Map<String, Object> job : this.jdbc.queryForList(
				"select id, heartbeat_node from import_job where status = 'RUNNING' and heartbeat_at < ?", before)) {
			String id = (String) job.get("id");
			if (this.jdbc.update(
					"update import_job set status = 'FAILED', message = ?, finished_at = ? "
							+ "where id = ? and status = 'RUNNING' and heartbeat_at < ?",
					NODE_STOPPED, Timestamp.from(Instant.now()), id, before) == 1) {
				logger.warn("Import {} failed: its node {} stopped while it ran; nothing of it was imported", id,
						job.get("heartbeat_node"));
				failed++;
			}
		}
		return failed;
	}

	@Override
	public int failRunningOn(String node) {
		int failed = 0;
		for (String id : this.jdbc.queryForList(
				"select id from import_job where status = 'RUNNING' and heartbeat_node = ?", String.class, node)) {
			// The import's own final update is conditional on RUNNING: once this commits,
			// the import can only roll back.
			if (this.jdbc.update(
					"update import_job set status = 'FAILED', message = ?, finished_at = ? "
							+ "where id = ? and status = 'RUNNING' and heartbeat_node = ?",
					NODE_STOPPED, Timestamp.from(Instant.now()), id, node) == 1) {
				logger.warn("Import {} failed: this node stopped before it finished; nothing of it was imported", id);
				failed++;
			}
		}
		return failed;
	}

	private static ImportJobView view(ResultSet rs, int row) throws SQLException {
		String mode = rs.getString("mode");
		Timestamp finished = rs.getTimestamp("finished_at");
		return new ImportJobView(rs.getString("id"), rs.getString("file_name"), rs.getString("created_by"),
				rs.getTimestamp("created_at").toInstant(), rs.getString("status"),
				(mode != null) ? ImportMode.valueOf(mode) : null, rs.getInt("total_rows"), rs.getInt("created"),
				rs.getInt("skipped"), rs.getInt("refused"), rs.getInt("invalid"), rs.getString("message"),
				(finished != null) ? finished.toInstant() : null);
	}

}
