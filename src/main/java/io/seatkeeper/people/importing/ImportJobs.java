package io.seatkeeper.people.importing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import io.seatkeeper.people.ImportJobView;
import io.seatkeeper.people.ImportMode;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The uploads and their reports, in {@code import_job}.
 */
@Component
public class ImportJobs {

	private static final String COLUMNS = "id, file_name, created_by, created_at, status, mode, total_rows, created, "
			+ "skipped, refused, invalid, message, finished_at";

	private final JdbcTemplate jdbc;

	ImportJobs(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
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
	 * Moves a previewed upload to running; false when it was not waiting (confirmed
	 * twice, or by two people at once).
	 */
	public boolean start(String id, ImportMode mode) {
		return this.jdbc.update(
				"update import_job set status = 'RUNNING', mode = ? where id = ? and status = 'PREVIEWED'", mode.name(),
				id) == 1;
	}

	public void finish(String id, String status, int created, int skipped, int refused, int invalid, String message,
			String report) {
		this.jdbc.update(
				"update import_job set status = ?, created = ?, skipped = ?, refused = ?, invalid = ?, "
						+ "message = ?, report = ?, finished_at = ? where id = ?",
				status, created, skipped, refused, invalid, message, report, Timestamp.from(Instant.now()), id);
	}

	/**
	 * Marks as failed the imports that were running when a node stopped: their
	 * transaction rolled back, so nothing of them was imported. An import runs for
	 * seconds, so one still running after an hour is one whose node went away.
	 */
	public int failInterrupted() {
		Instant now = Instant.now();
		return this.jdbc.update(
				"update import_job set status = 'FAILED', message = 'import.failed.interrupted', "
						+ "finished_at = ? where status = 'RUNNING' and created_at < ?",
				Timestamp.from(now), Timestamp.from(now.minusSeconds(3600)));
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
