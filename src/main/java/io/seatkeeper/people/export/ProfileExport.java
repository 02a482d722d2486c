package io.seatkeeper.people.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import io.seatkeeper.people.BlockReason;
import io.seatkeeper.people.ExportColumn;
import io.seatkeeper.people.ExportRequest;
import io.seatkeeper.people.ProfileSource;
import io.seatkeeper.people.SpreadsheetCells;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes the people export as CSV, streamed from the database to the writer, in username
 * order, so memory does not grow with the number of profiles: on PostgreSQL one
 * {@code COPY} whose rows go on as they come ({@link CopyExport}); on H2 keyset chunks of
 * {@value #CHUNK} rows, each written as it comes.
 */
@Component
public class ProfileExport {

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_INSTANT;

	private final JdbcTemplate jdbc;

	private final DataSource dataSource;

	private final MessageSource messages;

	/** Rows read by one query of the export. */
	static final int CHUNK = 5000;

	private volatile Boolean h2;

	ProfileExport(DataSource dataSource, MessageSource messages) {
		this.dataSource = dataSource;
		this.jdbc = new JdbcTemplate(dataSource);
		this.jdbc.setFetchSize(1000);
		this.messages = messages;
		// A cursor, not a list: PostgreSQL honours the fetch size inside a transaction.
	}

	/**
	 * Writes the header and every matching profile as UTF-8 to the stream; returns how
	 * many profiles it wrote. The header is flushed before the first row is read, so that
	 * the download starts at once.
	 */
	@Transactional(readOnly = true)
	public long write(ExportRequest request, Locale locale, OutputStream out) throws IOException {
		Labels labels = new Labels(this.messages, locale);
		CopyExport copy = h2() ? null : CopyExport.of(request, labels.all(), ZoneId.systemDefault());
		if (copy == null) {
			Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
			long rows = writeRows(request, locale, writer);
			writer.flush();
			return rows;
		}
		StringBuilder header = new StringBuilder();
		if (request.forExcel()) {
			header.append('\uFEFF');
		}
		header.append(CSVFormat.RFC4180.format(header(request, locale).toArray())).append("\r\n");
		out.write(header.toString().getBytes(StandardCharsets.UTF_8));
		out.flush();
		return copy.copy(this.dataSource, out);
	}

	/**
	 * Writes the header and every matching profile; returns how many profiles it wrote.
	 */
	@Transactional(readOnly = true)
	public long write(ExportRequest request, Locale locale, Writer out) throws IOException {
		CopyExport copy = h2() ? null
				: CopyExport.of(request, new Labels(this.messages, locale).all(), ZoneId.systemDefault());
		if (copy == null) {
			return writeRows(request, locale, out);
		}
		if (request.forExcel()) {
			out.write('\uFEFF');
		}
		out.write(CSVFormat.RFC4180.format(header(request, locale).toArray()));
		out.write("\r\n");
		out.flush();
		return copy.copy(this.dataSource, out);
	}

	/**
	 * The export read through JDBC and written with commons-csv, on either database: H2's
	 * way, and PostgreSQL's when its copy cannot read the time zone.
	 */
	long writeRows(ExportRequest request, Locale locale, Writer out) throws IOException {
		List<ExportColumn> columns = request.orderedColumns();
		if (request.forExcel()) {
			out.write('\uFEFF');
		}
		Labels labels = new Labels(this.messages, locale);
		CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180);
		csv.printRecord(header(request, locale));
		Map<Long, String> areaNames = new HashMap<>();
		this.jdbc.query("select id, name from area", (ResultSet rs) -> {
			areaNames.put(rs.getLong(1), rs.getString(2));
		});
		boolean h2 = h2();
		// Read in chunks of CHUNK rows, each one a keyset query that starts after the
		// last
		// username of the one before: memory holds one chunk at most, on either database,
		// and no cursor stays open for the whole export (H2's lazy cursors over a large
		// file lose their pages when the store compacts). Each chunk comes out of an
		// index in username order; a filter's column leads the order, as it leads the
		// index that serves it, and being fixed it leaves the username's order. H2 is
		// told
		// the index: it would take its own one on the area's foreign key and sort.
		String index = null;
		String order = "p.username_key";
		if (request.areaId() != null) {
			index = "ix_profile_area_username";
			order = "p.area_id, p.username_key";
		}
		else if (request.state() != null) {
			index = "ix_profile_state_username";
			order = "p.state, p.username_key";
		}
		StringBuilder sql = new StringBuilder("""
				select p.username, p.first_name, p.last_name, p.email, p.area_id, p.state,
				       p.block_reason, p.built_in, p.source, p.created_at, p.last_sign_in_at, p.username_key
				from profile p""");
		if (h2 && index != null) {
			sql.append(" use index (").append(index).append(")");
		}
		sql.append(" where p.username_key > ?");
		List<Object> filters = new ArrayList<>();
		if (request.areaId() != null) {
			sql.append(" and p.area_id = ?");
			filters.add(request.areaId());
		}
		if (request.state() != null) {
			switch (request.state()) {
				case ACTIVE -> sql.append(" and p.state = 'ACTIVE'");
				case BLOCKED -> sql.append(" and p.state = 'BLOCKED'");
				case AWAITING -> sql.append(" and p.state = 'BLOCKED' and p.block_reason = 'AWAITING_LICENSE'");
				case DORMANT -> sql.append(" and p.state = 'BLOCKED' and p.block_reason = 'DORMANT'");
			}
		}
		sql.append(" order by ").append(order).append(" limit ").append(CHUNK);
		long[] rows = { 0 };
		ExportColumn[] cells = columns.toArray(ExportColumn[]::new);
		String[] record = new String[cells.length];
		String[] last = { "" };
		int[] read = { 0 };
		do {
			List<Object> parameters = new ArrayList<>(filters.size() + 1);
			parameters.add(last[0]);
			parameters.addAll(filters);
			read[0] = 0;
			this.jdbc.query(sql.toString(), (ResultSet rs) -> {
				for (int i = 0; i < cells.length; i++) {
					record[i] = cell(cells[i], rs, labels, areaNames);
				}
				try {
					csv.printRecord((Object[]) record);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
				last[0] = rs.getString(12);
				read[0]++;
				rows[0]++;
			}, parameters.toArray());
		}
		while (read[0] == CHUNK);
		csv.flush();
		return rows[0];
	}

	private List<String> header(ExportRequest request, Locale locale) {
		List<String> header = new ArrayList<>();
		for (ExportColumn column : request.orderedColumns()) {
			header.add(this.messages.getMessage("export.column." + column.name(), null, locale));
		}
		return header;
	}

	private static String cell(ExportColumn column, ResultSet rs, Labels labels, Map<Long, String> areaNames)
			throws SQLException {
		return switch (column) {
			case USERNAME -> SpreadsheetCells.neutralise(rs.getString(1));
			case FIRST_NAME -> SpreadsheetCells.neutralise(rs.getString(2));
			case LAST_NAME -> SpreadsheetCells.neutralise(rs.getString(3));
			case EMAIL -> SpreadsheetCells.neutralise(rs.getString(4));
			case AREA -> SpreadsheetCells.neutralise(areaNames.get(rs.getLong(5)));
			case ACCOUNT_STATE -> "ACTIVE".equals(rs.getString(6)) ? labels.yes : labels.no;
			case USES_LICENSE -> ("ACTIVE".equals(rs.getString(6)) && !rs.getBoolean(8)) ? labels.yes : labels.no;
			case BLOCKED_REASON -> labels.reason(rs.getString(7));
			case SOURCE -> labels.source(rs.getString(9));
			case CREATED -> timestamp(rs.getTimestamp(10));
			case LAST_SIGN_IN -> timestamp(rs.getTimestamp(11));
		};
	}

	/**
	 * The words of the cells, looked up once per export rather than once per row.
	 */
	private static final class Labels {

		final String yes;

		final String no;

		private final Map<String, String> reasons = new HashMap<>();

		private final Map<String, String> sources = new HashMap<>();

		Labels(MessageSource messages, Locale locale) {
			this.yes = messages.getMessage("yes", null, locale);
			this.no = messages.getMessage("no", null, locale);
			for (BlockReason reason : BlockReason.values()) {
				this.reasons.put(reason.name(), messages.getMessage("reason." + reason.name(), null, locale));
			}
			for (ProfileSource source : ProfileSource.values()) {
				this.sources.put(source.name(), messages.getMessage("source." + source.name(), null, locale));
			}
		}

		String reason(String code) {
			return (code != null) ? this.reasons.getOrDefault(code, code) : "";
		}

		String source(String code) {
			return this.sources.getOrDefault(code, code);
		}

		/**
		 * Every word by its message code ({@code yes}, {@code reason.DORMANT} …).
		 */
		Map<String, String> all() {
			Map<String, String> all = new LinkedHashMap<>();
			all.put("yes", this.yes);
			all.put("no", this.no);
			this.reasons.forEach((code, label) -> all.put("reason." + code, label));
			this.sources.forEach((code, label) -> all.put("source." + code, label));
			return all;
		}

	}

	private boolean h2() {
		Boolean h2 = this.h2;
		if (h2 == null) {
			h2 = this.jdbc.execute((ConnectionCallback<Boolean>) (connection) -> "H2"
				.equals(connection.getMetaData().getDatabaseProductName()));
			this.h2 = h2;
		}
		return h2;
	}

	private static String timestamp(Timestamp value) {
		return (value != null) ? TIMESTAMP.format(value.toInstant()) : "";
	}

}
