package io.seatkeeper.people.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.seatkeeper.Pools;
import io.seatkeeper.people.ExportColumn;
import io.seatkeeper.people.ExportRequest;
import io.seatkeeper.people.StateFilter;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL the export's rows come out of one {@code COPY} of the plain columns, each
 * row rewritten as it comes: the file holds the very bytes that JDBC and commons-csv
 * write for the same profiles, however awkward their values (formula starts, commas,
 * quotes, a leading {@code #}, a trailing space, empty cells, timestamps with and without
 * a fraction of a second, a multi-byte name), for every filter and column choice and with
 * the byte-order mark for Excel (the built-in administrator is one of the rows); rows end
 * with CRLF.
 */
@SpringBootTest
@Tag("database")
@Tag("postgresql-only")
class CopyExportTests {

	@Autowired
	ProfileExport export;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	TransactionTemplate transactions;

	@BeforeEach
	void awkwardProfiles() {
		Pools.reset(this.jdbc, 100, 100);
		long primary = this.jdbc.queryForObject("select id from area where kind = 'PRIMARY'", Long.class);
		this.jdbc.update("insert into area (name, name_key, kind, created_at) values"
				+ " ('=Partners, \"Ltd\"', '=partners, \"ltd\"', 'EXTRANET', current_timestamp)");
		long extranet = this.jdbc.queryForObject("select id from area where kind = 'EXTRANET'", Long.class);
		profile("alice", "=SUM(A1)", "Smith, Jr.", primary, "ACTIVE", null, "LOCAL", "2026-03-01T08:00:00Z", null);
		profile("bob", "", "say \"hi\"", primary, "BLOCKED", "ADMINISTRATOR", "CSV", "2026-03-01T08:00:00.500Z",
				"2026-03-02T09:10:11.123456Z");
		profile("carol", "#tag", "trailing ", extranet, "BLOCKED", "AWAITING_LICENSE", "SSO",
				"2026-03-01T08:00:00.120Z", "2026-03-02T09:10:11Z");
		profile("dave", "+1", "-minus", extranet, "ACTIVE", null, "DIRECTORY", "2026-03-01T08:00:00.000001Z",
				"2026-03-02T09:10:11.100Z");
		profile("erin", "@me", "Ünïcödé 名前", primary, "BLOCKED", "DORMANT", "SCIM", "2026-03-01T23:59:59.999Z", null);
		profile("frank", "\tTab", "\rReturn", primary, "ACTIVE", null, "API", "2026-03-01T00:00:00Z", null);
	}

	@AfterEach
	void noProfiles() {
		Pools.reset(this.jdbc, 100, 100);
	}

	@Test
	void copyWritesTheBytesThatJdbcWrites() throws IOException {
		ExportRequest everything = new ExportRequest(EnumSet.allOf(ExportColumn.class), null, null, false);

		String copied = copied(everything);

		assertThat(copied).isEqualTo(written(everything));
		assertThat(records(copied)).hasSize(8);
		assertThat(copied).contains("'=SUM(A1)").contains("\"'=Partners, \"\"Ltd\"\"\"").contains("\r\n");
		assertThat(copied.replace("\r\n", "")).doesNotContain("\n");
	}

	@Test
	void copyWritesWhatJdbcWritesForEveryFilterAndColumnChoice() throws IOException {
		long extranet = this.jdbc.queryForObject("select id from area where kind = 'EXTRANET'", Long.class);
		List<ExportRequest> requests = new ArrayList<>();
		for (StateFilter state : StateFilter.values()) {
			requests.add(new ExportRequest(EnumSet.allOf(ExportColumn.class), null, state, false));
		}
		requests.add(new ExportRequest(EnumSet.allOf(ExportColumn.class), extranet, null, false));
		requests
			.add(new ExportRequest(EnumSet.of(ExportColumn.FIRST_NAME, ExportColumn.LAST_SIGN_IN), null, null, false));
		requests.add(new ExportRequest(EnumSet.of(ExportColumn.LAST_SIGN_IN), null, null, true));
		requests.add(new ExportRequest(Set.of(ExportColumn.BLOCKED_REASON, ExportColumn.USERNAME), null, null, true));
		for (ExportRequest request : requests) {
			String copied = copied(request);
			String written = written(request);
			assertThat(copied).as("%s", request).isEqualTo(written);
			assertThat(copied.startsWith("\uFEFF")).isEqualTo(request.forExcel());
		}
	}

	@Test
	void anEmptyCellFirstOnARowIsQuotedAsCommonsCsvQuotesIt() throws IOException {
		ExportRequest firstNames = new ExportRequest(EnumSet.of(ExportColumn.FIRST_NAME, ExportColumn.LAST_SIGN_IN),
				null, null, false);

		String copied = copied(firstNames);

		assertThat(copied).contains("\r\n\"\",2026-03-02T09:10:11.123456Z\r\n");
		assertThat(written(firstNames)).contains("\r\n\"\",2026-03-02T09:10:11.123456Z\r\n");
	}

	private String copied(ExportRequest request) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		long rows = this.export.write(request, Locale.ENGLISH, out);
		String file = out.toString(StandardCharsets.UTF_8);
		assertThat(rows).isEqualTo(records(file).size() - 1);
		StringWriter writer = new StringWriter();
		this.export.write(request, Locale.ENGLISH, writer);
		assertThat(writer.toString()).as("through a writer").isEqualTo(file);
		return file;
	}

	private String written(ExportRequest request) {
		StringWriter out = new StringWriter();
		this.transactions.executeWithoutResult((status) -> {
			try {
				this.export.writeRows(request, Locale.ENGLISH, out);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		return out.toString();
	}

	private static List<List<String>> records(String file) {
		String csv = file.startsWith("\uFEFF") ? file.substring(1) : file;
		try (CSVParser parser = CSVParser.parse(new StringReader(csv), CSVFormat.RFC4180)) {
			List<List<String>> records = new ArrayList<>();
			for (CSVRecord record : parser) {
				records.add(record.toList());
			}
			return records;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void profile(String username, String firstName, String lastName, long areaId, String state, String reason,
			String source, String created, String lastSignIn) {
		this.jdbc.update("""
				insert into profile (username, username_key, email, email_key, first_name, first_name_key,
				    last_name, last_name_key, area_id, pool, state, block_reason, source, created_at, updated_at,
				    last_sign_in_at, awaiting_since)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, (select case kind when 'PRIMARY' then 'PRIMARY' else 'EXTRANET' end
				    from area where id = ?), ?, ?, ?, ?, ?, ?, ?)""", username, username, username + "@example.org",
				username + "@example.org", firstName, firstName.toLowerCase(Locale.ROOT), lastName,
				lastName.toLowerCase(Locale.ROOT), areaId, areaId, state, reason, source,
				Timestamp.from(Instant.parse(created)), Timestamp.from(Instant.parse(created)),
				(lastSignIn != null) ? Timestamp.from(Instant.parse(lastSignIn)) : null,
				"AWAITING_LICENSE".equals(reason) ? Timestamp.from(Instant.parse(created)) : null);
	}

}
