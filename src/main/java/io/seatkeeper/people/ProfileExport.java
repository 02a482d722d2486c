package io.seatkeeper.people;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes the people export as CSV, streamed from the database to the writer: rows are
 * read through a cursor a thousand at a time and written as they come, so memory does not
 * grow with the number of profiles.
 */
@Component
class ProfileExport {

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_INSTANT;

	private final JdbcTemplate jdbc;

	private final MessageSource messages;

	ProfileExport(DataSource dataSource, MessageSource messages) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.jdbc.setFetchSize(1000);
		this.messages = messages;
		// A cursor, not a list: PostgreSQL honours the fetch size inside a transaction.
	}

	/**
	 * Writes the header and every matching profile; returns how many profiles it wrote.
	 */
	@Transactional(readOnly = true)
	long write(ExportRequest request, Locale locale, Writer out) throws IOException {
		List<ExportColumn> columns = request.orderedColumns();
		if (request.forExcel()) {
			out.write('\uFEFF');
		}
		String yes = this.messages.getMessage("yes", null, locale);
		String no = this.messages.getMessage("no", null, locale);
		CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180);
		List<String> header = new ArrayList<>(columns.size());
		for (ExportColumn column : columns) {
			header.add(this.messages.getMessage("export.column." + column.name(), null, locale));
		}
		csv.printRecord(header);
		StringBuilder sql = new StringBuilder("""
				select p.username, p.first_name, p.last_name, p.email, a.name as area_name, p.state,
				       p.block_reason, p.built_in, p.source, p.created_at, p.last_sign_in_at
				from profile p join area a on a.id = p.area_id where 1 = 1""");
		List<Object> parameters = new ArrayList<>();
		if (request.areaId() != null) {
			sql.append(" and p.area_id = ?");
			parameters.add(request.areaId());
		}
		if (request.state() != null) {
			switch (request.state()) {
				case ACTIVE -> sql.append(" and p.state = 'ACTIVE'");
				case BLOCKED -> sql.append(" and p.state = 'BLOCKED'");
				case AWAITING -> sql.append(" and p.state = 'BLOCKED' and p.block_reason = 'AWAITING_LICENSE'");
			}
		}
		sql.append(" order by p.username_key");
		long[] rows = { 0 };
		List<String> record = new ArrayList<>(columns.size());
		this.jdbc.query(sql.toString(), (ResultSet rs) -> {
			record.clear();
			for (ExportColumn column : columns) {
				record.add(cell(column, rs, yes, no, locale));
			}
			try {
				csv.printRecord(record);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			rows[0]++;
		}, parameters.toArray());
		csv.flush();
		return rows[0];
	}

	private String cell(ExportColumn column, ResultSet rs, String yes, String no, Locale locale) throws SQLException {
		boolean active = "ACTIVE".equals(rs.getString("state"));
		return switch (column) {
			case USERNAME -> SpreadsheetCells.neutralise(rs.getString("username"));
			case FIRST_NAME -> SpreadsheetCells.neutralise(rs.getString("first_name"));
			case LAST_NAME -> SpreadsheetCells.neutralise(rs.getString("last_name"));
			case EMAIL -> SpreadsheetCells.neutralise(rs.getString("email"));
			case AREA -> SpreadsheetCells.neutralise(rs.getString("area_name"));
			case ACCOUNT_STATE -> active ? yes : no;
			case USES_LICENSE -> (active && !rs.getBoolean("built_in")) ? yes : no;
			case BLOCKED_REASON -> {
				String reason = rs.getString("block_reason");
				yield (reason != null) ? this.messages.getMessage("reason." + reason, null, locale) : "";
			}
			case SOURCE -> this.messages.getMessage("source." + rs.getString("source"), null, locale);
			case CREATED -> timestamp(rs.getTimestamp("created_at"));
			case LAST_SIGN_IN -> timestamp(rs.getTimestamp("last_sign_in_at"));
		};
	}

	private static String timestamp(Timestamp value) {
		return (value != null) ? TIMESTAMP.format(value.toInstant()) : "";
	}

}
