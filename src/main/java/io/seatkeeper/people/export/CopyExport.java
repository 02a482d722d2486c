package io.seatkeeper.people.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.seatkeeper.people.ExportColumn;
import io.seatkeeper.people.ExportRequest;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * The export's rows on PostgreSQL: one {@code COPY (select …) TO STDOUT WITH CSV}, in
 * username order, whose cells the database itself translates, neutralises and quotes
 * while the rows go on to the response as they come (the server runs ahead of the writer
 * by what the socket holds; nothing is collected). The cells are those of
 * {@link ProfileExport}'s rows, read back as the same values: PostgreSQL quotes a cell
 * only when it holds a comma, a quote or a line break (commons-csv also quotes one that
 * begins with a character up to {@code #} or ends in a space), and ends each row with
 * CRLF as RFC 4180 does, as commons-csv does.
 */
final class CopyExport {

	private static final byte[] CRLF = { '\r', '\n' };

	private final String sql;

	private CopyExport(String sql) {
		this.sql = sql;
	}

	/**
	 * The copy for this request, or {@code null} when the timestamps cannot be read in
	 * the JVM's time zone on the database's side (a zone that is a bare offset): then the
	 * rows go through JDBC.
	 */
	static CopyExport of(ExportRequest request, Map<String, String> labels, ZoneId zone) {
		String timeZone = timeZone(zone);
		if (timeZone == null) {
			return null;
		}
		List<ExportColumn> columns = request.orderedColumns();
		StringBuilder select = new StringBuilder("select ");
		for (int i = 0; i < columns.size(); i++) {
			String cell = cell(columns.get(i), labels, timeZone);
			// An empty cell first on the row is quoted ("" as commons-csv writes it); any
			// other empty cell is left empty: PostgreSQL writes a null so.
			select.append((i == 0) ? "coalesce(" + cell + ", '')" : "nullif(" + cell + ", '')");
			select.append((i < columns.size() - 1) ? ", " : "");
		}
		select.append(" from profile p join area a on a.id = p.area_id where 1 = 1");
		if (request.areaId() != null) {
			select.append(" and p.area_id = ").append(request.areaId().longValue());
		}
		if (request.state() != null) {
			switch (request.state()) {
				case ACTIVE -> select.append(" and p.state = 'ACTIVE'");
				case BLOCKED -> select.append(" and p.state = 'BLOCKED'");
				case AWAITING -> select.append(" and p.state = 'BLOCKED' and p.block_reason = 'AWAITING_LICENSE'");
				case DORMANT -> select.append(" and p.state = 'BLOCKED' and p.block_reason = 'DORMANT'");
			}
		}
		select.append(" order by p.username_key");
		return new CopyExport("copy (" + select + ") to stdout with (format csv)");
	}

	/**
	 * Copies the rows to the stream, each ending with CRLF; returns how many.
	 */
	long copy(DataSource dataSource, OutputStream out) throws IOException {
		return copy(dataSource, (row, length) -> {
			out.write(row, 0, length);
			out.write(CRLF);
		});
	}

	/**
	 * Copies the rows to the writer, each ending with CRLF; returns how many.
	 */
	long copy(DataSource dataSource, Writer out) throws IOException {
		return copy(dataSource, (row, length) -> {
			out.write(new String(row, 0, length, StandardCharsets.UTF_8));
			out.write("\r\n");
		});
	}

	private long copy(DataSource dataSource, RowSink sink) throws IOException {
		Connection connection = DataSourceUtils.getConnection(dataSource);
		try {
			CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(this.sql);
			long rows = 0;
			try {
				byte[] row;
				while ((row = copy.readFromCopy()) != null) {
					// One message a row, ending with PostgreSQL's LF.
					sink.accept(row, row.length - 1);
					rows++;
				}
			}
			finally {
				if (copy.isActive()) {
					copy.cancelCopy();
				}
			}
			return rows;
		}
		catch (SQLException ex) {
			throw new IOException("The export's copy failed: " + ex.getMessage(), ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
	}

	private static String cell(ExportColumn column, Map<String, String> labels, String timeZone) {
		return switch (column) {
			case USERNAME -> neutralised("p.username");
			case FIRST_NAME -> neutralised("p.first_name");
			case LAST_NAME -> neutralised("p.last_name");
			case EMAIL -> neutralised("p.email");
			case AREA -> neutralised("a.name");
			case ACCOUNT_STATE -> "case when p.state = 'ACTIVE' then " + literal(labels.get("yes")) + " else "
					+ literal(labels.get("no")) + " end";
			case USES_LICENSE -> "case when p.state = 'ACTIVE' and not p.built_in then " + literal(labels.get("yes"))
					+ " else " + literal(labels.get("no")) + " end";
			case BLOCKED_REASON -> coded("p.block_reason", "reason.", labels);
			case SOURCE -> coded("p.source", "source.", labels);
			case CREATED -> instant("p.created_at", timeZone);
			case LAST_SIGN_IN -> instant("p.last_sign_in_at", timeZone);
		};
	}

	/**
	 * A cell that a spreadsheet would run as a formula gets a leading apostrophe, as
	 * {@code SpreadsheetCells.neutralise} gives it: = + - @ tab CR.
	 */
	private static String neutralised(String column) {
		return "case when ascii(" + column + ") in (61, 43, 45, 64, 9, 13) then '''' || " + column + " else " + column
				+ " end";
	}

	private static String coded(String column, String prefix, Map<String, String> labels) {
		StringBuilder sql = new StringBuilder("case ").append(column);
		labels.forEach((key, label) -> {
			if (key.startsWith(prefix)) {
				sql.append(" when ")
					.append(literal(key.substring(prefix.length())))
					.append(" then ")
					.append(literal(label));
			}
		});
		return sql.append(" else ").append(column).append(" end").toString();
	}

	/**
	 * {@code DateTimeFormatter.ISO_INSTANT} of the stored local time read in the JVM's
	 * zone: {@code 2026-12-01T10:15:30Z}, the fraction of a second in groups of three
	 * digits when it has one.
	 */
	private static String instant(String column, String timeZone) {
		String utc = (timeZone.isEmpty()) ? column
				: "((" + column + " at time zone " + literal(timeZone) + ") at time zone 'UTC')";
		String text = "cast(" + utc + " as text)";
		return "translate(case when length(" + text + ") = 19 then " + text + " when length(" + text
				+ ") <= 23 then rpad(" + text + ", 23, '0') else rpad(" + text + ", 26, '0') end, ' ', 'T') || 'Z'";
	}

	/**
	 * The zone's name for PostgreSQL, empty for UTC, {@code null} for a bare offset
	 * (whose sign PostgreSQL reads the other way round).
	 */
	private static String timeZone(ZoneId zone) {
		ZoneId normalized = zone.normalized();
		if (normalized.equals(ZoneOffset.UTC)) {
			return "";
		}
		if (normalized instanceof ZoneOffset || !zone.getId().matches("[A-Za-z_]+(/[A-Za-z0-9_+-]+)*")) {
			return null;
		}
		return zone.getId();
	}

	private static String literal(String text) {
		return "'" + text.replace("'", "''") + "'";
	}

	@FunctionalInterface
	private interface RowSink {

		void accept(byte[] row, int length) throws IOException;

	}

}
