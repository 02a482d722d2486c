package io.seatkeeper.people.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.seatkeeper.people.ExportColumn;
import io.seatkeeper.people.ExportRequest;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * The export's rows on PostgreSQL: one {@code COPY (select …) TO STDOUT WITH CSV} of the
 * plain columns in username order, each row turned into the export's row as it comes
 * (cells translated, formula cells neutralised, quoted as commons-csv quotes them, CRLF
 * at the end) and passed on at once. The database formats the rows in its own process
 * while this one rewrites the previous ones (the socket between them is the read-ahead),
 * so the two cores work at once; nothing is collected. The bytes are those that
 * {@link ProfileExport}'s JDBC path writes for the same profiles.
 */
final class CopyExport {

	private static final byte[] CRLF = { '\r', '\n' };

	/** The copy's columns, in this order. */
	private static final int USERNAME = 0, FIRST_NAME = 1, LAST_NAME = 2, EMAIL = 3, AREA = 4, STATE = 5, BUILT_IN = 6,
			REASON = 7, SOURCE = 8, CREATED = 9, LAST_SIGN_IN = 10, FIELDS = 11;

	private static final byte[] ACTIVE = "ACTIVE".getBytes(StandardCharsets.US_ASCII);

	private final String sql;

	private final ExportColumn[] columns;

	private final byte[] yes;

	private final byte[] no;

	/** The words of the block reasons and the sources, by their codes' bytes. */
	private final Map<byte[], byte[]> reasons = new LinkedHashMap<>();

	private final Map<byte[], byte[]> sources = new LinkedHashMap<>();

	private CopyExport(String sql, List<ExportColumn> columns, Map<String, String> labels) {
		this.sql = sql;
		this.columns = columns.toArray(ExportColumn[]::new);
		this.yes = bytes(labels.get("yes"));
		this.no = bytes(labels.get("no"));
		labels.forEach((key, label) -> {
			if (key.startsWith("reason.")) {
				this.reasons.put(bytes(key.substring("reason.".length())), bytes(label));
			}
			else if (key.startsWith("source.")) {
				this.sources.put(bytes(key.substring("source.".length())), bytes(label));
			}
		});
	}

	/**
	 * The copy for this request, or {@code null} when the timestamps cannot be read in
	 * the JVM's time zone on the database's side (a zone that is a bare offset): then the
	 * rows go through JDBC.
	 * @param labels the words of the cells by message code ({@code yes}, {@code no},
	 * {@code reason.*}, {@code source.*})
	 */
	static CopyExport of(ExportRequest request, Map<String, String> labels, ZoneId zone) {
		String timeZone = timeZone(zone);
		if (timeZone == null) {
			return null;
		}
		StringBuilder select = new StringBuilder("select p.username, p.first_name, p.last_name, p.email, a.name,"
				+ " p.state, p.built_in, p.block_reason, p.source, " + utc("p.created_at", timeZone) + ", "
				+ utc("p.last_sign_in_at", timeZone) + " from profile p join area a on a.id = p.area_id where 1 = 1");
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
		return new CopyExport("copy (" + select + ") to stdout with (format binary)", request.orderedColumns(), labels);
	}

	/**
	 * Copies the rows to the stream; returns how many.
	 */
	long copy(DataSource dataSource, OutputStream out) throws IOException {
		return copy(dataSource, (row, length) -> out.write(row, 0, length));
	}

	/**
	 * Copies the rows to the writer; returns how many.
	 */
	long copy(DataSource dataSource, Writer out) throws IOException {
		return copy(dataSource, (row, length) -> out.write(new String(row, 0, length, StandardCharsets.UTF_8)));
	}

	private long copy(DataSource dataSource, RowSink sink) throws IOException {
		Connection connection = DataSourceUtils.getConnection(dataSource);
		try {
			CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(this.sql);
			long rows = 0;
			Row row = new Row();
			try {
				byte[] message;
				while ((message = copy.readFromCopy()) != null) {
					// One message a row (the first one after the file's header, the last
					// one the trailer).
					if (row.read(message)) {
						write(row);
						sink.accept(row.out, row.outLength);
						rows++;
					}
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

	/**
	 * The export's row from the copy's row, into {@code row.out}.
	 */
	void write(Row row) {
		row.outLength = 0;
		for (int i = 0; i < this.columns.length; i++) {
			if (i > 0) {
				row.append((byte) ',');
			}
			boolean first = i == 0;
			switch (this.columns[i]) {
				case USERNAME -> row.cell(USERNAME, true, first);
				case FIRST_NAME -> row.cell(FIRST_NAME, true, first);
				case LAST_NAME -> row.cell(LAST_NAME, true, first);
				case EMAIL -> row.cell(EMAIL, true, first);
				case AREA -> row.cell(AREA, true, first);
				case ACCOUNT_STATE -> row.label(row.is(STATE, ACTIVE) ? this.yes : this.no, first);
				case USES_LICENSE ->
					row.label((row.is(STATE, ACTIVE) && row.isFalse(BUILT_IN)) ? this.yes : this.no, first);
				case BLOCKED_REASON -> row.coded(REASON, this.reasons, first);
				case SOURCE -> row.coded(SOURCE, this.sources, first);
				case CREATED -> row.instant(CREATED, first);
				case LAST_SIGN_IN -> row.instant(LAST_SIGN_IN, first);
			}
		}
		row.append(CRLF, 0, CRLF.length);
	}

	/**
	 * One row of the binary copy, its fields found in the message where they are, and the
	 * export's row written from them into a buffer reused from row to row.
	 */
	static final class Row {

		private static final byte[] SIGNATURE = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0 };

		/** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in seconds of the Unix epoch. */
		private static final long POSTGRES_EPOCH = 946_684_800L;

		final int[] start = new int[FIELDS];

		final int[] length = new int[FIELDS];

		/** A field whose length is -1: PostgreSQL's null. */
		final boolean[] nulls = new boolean[FIELDS];

		byte[] data;

		byte[] out = new byte[1024];

		int outLength;

		private final byte[] cell = new byte[40];

		/**
		 * Finds the fields of a message of PostgreSQL's binary copy (a 16-bit count of
		 * fields, then each as a 32-bit length and its bytes); false for the trailer.
		 */
		boolean read(byte[] message) {
			this.data = message;
			int at = 0;
			if (message.length >= SIGNATURE.length
					&& Arrays.equals(message, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
				// The file's header: signature, flags, the length of an extension.
				at = SIGNATURE.length + 4;
				at += 4 + int32(message, at);
			}
			if (at + 2 > message.length) {
				return false;
			}
			int count = (short) (((message[at] & 0xFF) << 8) | (message[at + 1] & 0xFF));
			at += 2;
			if (count < 0) {
				return false;
			}
			if (count != FIELDS) {
				throw new IllegalStateException("The export's copy sent " + count + " fields, not " + FIELDS);
			}
			for (int field = 0; field < FIELDS; field++) {
				int length = int32(message, at);
				at += 4;
				this.nulls[field] = length < 0;
				this.start[field] = at;
				this.length[field] = Math.max(0, length);
				at += this.length[field];
			}
			return true;
		}

		private static int int32(byte[] bytes, int at) {
			return ((bytes[at] & 0xFF) << 24) | ((bytes[at + 1] & 0xFF) << 16) | ((bytes[at + 2] & 0xFF) << 8)
					| (bytes[at + 3] & 0xFF);
		}

		private long int64(int field) {
			long value = 0;
			for (int i = 0; i < 8; i++) {
				value = (value << 8) | (this.data[this.start[field] + i] & 0xFF);
			}
			return value;
		}

		boolean is(int field, byte[] value) {
			return Arrays.equals(this.data, this.start[field], this.start[field] + this.length[field], value, 0,
					value.length);
		}

		boolean isFalse(int field) {
			return this.length[field] == 1 && this.data[this.start[field]] == 0;
		}

		/**
		 * A text cell; a value that a spreadsheet would run as a formula (it begins with
		 * {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return) gets a
		 * leading apostrophe, as {@code SpreadsheetCells.neutralise} gives it.
		 */
		void cell(int field, boolean neutralise, boolean first) {
			int from = this.start[field];
			int length = this.length[field];
			if (neutralise && length > 0) {
				byte b = this.data[from];
				if (b == '=' || b == '+' || b == '-' || b == '@' || b == '\t' || b == '\r') {
					quoted(this.data, from, length, (byte) '\'', first);
					return;
				}
			}
			quoted(this.data, from, length, (byte) 0, first);
		}

		void label(byte[] label, boolean first) {
			quoted(label, 0, label.length, (byte) 0, first);
		}

		void coded(int field, Map<byte[], byte[]> labels, boolean first) {
			if (this.nulls[field]) {
				quoted(this.data, 0, 0, (byte) 0, first);
				return;
			}
			// A few codes: compared byte by byte, no string made per row.
			for (Map.Entry<byte[], byte[]> label : labels.entrySet()) {
				if (is(field, label.getKey())) {
					label(label.getValue(), first);
					return;
				}
			}
			cell(field, false, first);
		}

		/**
		 * {@code DateTimeFormatter.ISO_INSTANT} of a timestamp in UTC (microseconds since
		 * PostgreSQL's epoch): {@code 2026-12-01T10:15:30Z}, the fraction of a second in
		 * groups of three digits when it has one; empty for none.
		 */
		void instant(int field, boolean first) {
			if (this.nulls[field] || this.length[field] != 8) {
				quoted(this.data, 0, 0, (byte) 0, first);
				return;
			}
			long micros = int64(field);
			long seconds = Math.floorDiv(micros, 1_000_000L) + POSTGRES_EPOCH;
			int fraction = (int) Math.floorMod(micros, 1_000_000L);
			LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, fraction * 1000, ZoneOffset.UTC);
			if (time.getYear() < 1000 || time.getYear() > 9999) {
				byte[] text = bytes(DateTimeFormatter.ISO_INSTANT.format(time.toInstant(ZoneOffset.UTC)));
				quoted(text, 0, text.length, (byte) 0, first);
				return;
			}
			int at = digits(time.getYear(), 4, 0);
			this.cell[at++] = '-';
			at = digits(time.getMonthValue(), 2, at);
			this.cell[at++] = '-';
			at = digits(time.getDayOfMonth(), 2, at);
			this.cell[at++] = 'T';
			at = digits(time.getHour(), 2, at);
			this.cell[at++] = ':';
			at = digits(time.getMinute(), 2, at);
			this.cell[at++] = ':';
			at = digits(time.getSecond(), 2, at);
			if (fraction != 0) {
				this.cell[at++] = '.';
				at = (fraction % 1000 == 0) ? digits(fraction / 1000, 3, at) : digits(fraction, 6, at);
			}
			this.cell[at++] = 'Z';
			quoted(this.cell, 0, at, (byte) 0, first);
		}

		private int digits(int value, int width, int at) {
			for (int i = width - 1; i >= 0; i--) {
				this.cell[at + i] = (byte) ('0' + value % 10);
				value /= 10;
			}
			return at + width;
		}

		/**
		 * The value as commons-csv's {@code QuoteMode.MINIMAL} writes it: quoted when it
		 * holds a comma, a quote or a line break, begins with a character up to {@code #}
		 * or ends with one up to a space, or is empty and first on the row.
		 */
		private void quoted(byte[] value, int from, int length, byte prefix, boolean first) {
			int total = length + ((prefix != 0) ? 1 : 0);
			ensure(2 * total + 2);
			if (total == 0) {
				if (first) {
					append((byte) '"');
					append((byte) '"');
				}
				return;
			}
			int lead = ((prefix != 0) ? prefix : value[from]) & 0xFF;
			int last = ((length > 0) ? value[from + length - 1] : prefix) & 0xFF;
			boolean quote = lead <= '#' || last <= ' ';
			for (int i = from; !quote && i < from + length; i++) {
				byte b = value[i];
				quote = b == ',' || b == '"' || b == '\n' || b == '\r';
			}
			if (quote) {
				this.out[this.outLength++] = '"';
			}
			if (prefix != 0) {
				this.out[this.outLength++] = prefix;
			}
			for (int i = from; i < from + length; i++) {
				byte b = value[i];
				if (quote && b == '"') {
					this.out[this.outLength++] = '"';
				}
				this.out[this.outLength++] = b;
			}
			if (quote) {
				this.out[this.outLength++] = '"';
			}
		}

		void append(byte b) {
			ensure(1);
			this.out[this.outLength++] = b;
		}

		void append(byte[] bytes, int from, int length) {
			ensure(length);
			System.arraycopy(bytes, from, this.out, this.outLength, length);
			this.outLength += length;
		}

		private void ensure(int more) {
			if (this.outLength + more > this.out.length) {
				this.out = Arrays.copyOf(this.out, Math.max(this.out.length * 2, this.outLength + more));
			}
		}

	}

	/**
	 * The stored local time read in the JVM's zone, as UTC.
	 */
	private static String utc(String column, String timeZone) {
		return (timeZone.isEmpty()) ? column
				: "((" + column + " at time zone " + literal(timeZone) + ") at time zone 'UTC')";
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

	private static byte[] bytes(String text) {
		return (text != null) ? text.getBytes(StandardCharsets.UTF_8) : new byte[0];
	}

	@FunctionalInterface
	private interface RowSink {

		void accept(byte[] row, int length) throws IOException;

	}

}
