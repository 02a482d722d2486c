package io.seatkeeper.people;

import java.io.IOException;
import java.io.Writer;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.seatkeeper.Pools;
import io.seatkeeper.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The people export is streamed (R12): 200,000 profiles go from the database to the
 * writer while the live heap, measured after a full collection every so many rows, stays
 * within a few megabytes of what it was before any export, and nothing of an export stays
 * behind. Holding the same rows in a list takes far more, so the bound catches an export
 * that collects its rows, or a database that does. On H2 and on PostgreSQL.
 */
@SpringBootTest
@Tag("database")
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExportStreamingTests {

	private static final int PROFILES = 200_000;

	/** One profile in this many is blocked by an administrator. */
	private static final int BLOCKED_EVERY = 10;

	/** One profile in this many is awaiting a licence. */
	private static final int AWAITING_EVERY = 20_000;

	/**
	 * Rows between two measurements of the heap during the big export. A result that the
	 * database or the export collects is live for the whole of it, so a few samples catch
	 * it; each costs a full collection of a heap that holds H2's 200,000 rows.
	 */
	private static final int SAMPLE_EVERY = 25_000;

	private static final long MEGABYTE = 1024 * 1024;

	/** The most the live heap may grow during an export (R12's target). */
	private static final long HEAP_GROWTH_LIMIT = 64 * MEGABYTE;

	/**
	 * The most the live heap may ever stand above what it was before any export: the
	 * driver's buffers and the collector's noise. The rows, if held, take over 10 MB on
	 * H2 (which shares the values with its tables) and far more elsewhere.
	 */
	private static final long SLACK = 4 * MEGABYTE;

	@Autowired
	PeopleService people;

	@Autowired
	JdbcTemplate jdbc;

	private long baseline;

	@BeforeAll
	void seedProfiles() throws IOException {
		Pools.reset(this.jdbc, 10, 5);
		long started = System.nanoTime();
		long primary = this.jdbc.queryForObject("select id from area where kind = 'PRIMARY'", Long.class);
		String numbers = TestDatabase.postgresql() ? "generate_series(1, " + PROFILES + ") as x"
				: "system_range(1, " + PROFILES + ")";
		int inserted = this.jdbc.update("""
				insert into profile (username, username_key, email, email_key, first_name, first_name_key,
				    last_name, last_name_key, area_id, pool, state, block_reason, source, created_at, updated_at)
				select 'user' || lpad(cast(x as varchar(7)), 7, '0'), 'user' || lpad(cast(x as varchar(7)), 7, '0'),
				    'user' || x || '@example.org', 'user' || x || '@example.org',
				    'First' || mod(x, 1000), 'first' || mod(x, 1000), 'Smith' || mod(x, 5000), 'smith' || mod(x, 5000),
				    ?, 'PRIMARY',
				    case when mod(x, ?) = 0 then 'BLOCKED' else 'ACTIVE' end,
				    case when mod(x, ?) = 0 then 'AWAITING_LICENSE' when mod(x, ?) = 0 then 'ADMINISTRATOR' end,
				    'CSV', current_timestamp, current_timestamp
				from\s""" + numbers, primary, BLOCKED_EVERY, AWAITING_EVERY, BLOCKED_EVERY);
		assertThat(inserted).isEqualTo(PROFILES);
		// Keep the gate's counter true to the rows, as every other path does.
		this.jdbc.update("update license_pool set max_users = ?, active_count = ? where pool = 'PRIMARY'", PROFILES,
				PROFILES - PROFILES / BLOCKED_EVERY);
		System.out.printf("Seeded %,d profiles on %s in %,d ms%n", PROFILES,
				TestDatabase.postgresql() ? "PostgreSQL" : "H2", (System.nanoTime() - started) / 1_000_000);
		// A small export of every column first: loading classes and filling caches is not
		// growth.
		Export warmUp = export(new ExportRequest(EnumSet.allOf(ExportColumn.class), null, StateFilter.AWAITING, true),
				Integer.MAX_VALUE);
		assertThat(warmUp.rows).isEqualTo(PROFILES / AWAITING_EVERY);
		this.baseline = liveHeap();
		System.out.printf("Live heap before any export: %,d KB%n", this.baseline / 1024);
	}

	@AfterAll
	void removeProfiles() {
		Pools.reset(this.jdbc, 10, 5);
	}

	@Test
	@Order(1)
	void streamsEveryProfileWhileTheHeapStaysBounded() throws IOException {
		Export everyone = export(new ExportRequest(EnumSet.allOf(ExportColumn.class), null, null, false), SAMPLE_EVERY);

		assertThat(everyone.rows).isEqualTo(PROFILES + 1);
		assertThat(everyone.out.lines).as("a header, the built-in administrator and every seeded profile")
			.isEqualTo(PROFILES + 2);
		assertThat(everyone.out.samples).isEqualTo(PROFILES / SAMPLE_EVERY);
		assertThat(everyone.out.firstRow)
			.startsWith("admin,Built-in,Administrator,admin@localhost,Primary Area,Yes,No,,Built in,");
		assertThat(everyone.out.lastRow).startsWith(
				"user0200000,First0,Smith0,user200000@example.org,Primary Area,No,No,awaiting licence,CSV upload,");
		assertBounded(everyone);
	}

	@Test
	@Order(2)
	void streamsAnExportFilteredByAreaOrStateToo() throws IOException {
		long primary = this.jdbc.queryForObject("select id from area where kind = 'PRIMARY'", Long.class);
		int active = PROFILES - PROFILES / BLOCKED_EVERY + 1;

		Export area = export(new ExportRequest(EnumSet.allOf(ExportColumn.class), primary, null, false), 100_000);
		Export state = export(new ExportRequest(EnumSet.of(ExportColumn.USERNAME, ExportColumn.ACCOUNT_STATE), null,
				StateFilter.ACTIVE, false), 100_000);
		Export both = export(new ExportRequest(EnumSet.allOf(ExportColumn.class), primary, StateFilter.BLOCKED, true),
				10_000);

		assertThat(area.rows).isEqualTo(PROFILES + 1);
		assertThat(state.rows).isEqualTo(active);
		assertThat(state.out.lastRow).isEqualTo("user0199999,Yes");
		assertThat(both.rows).isEqualTo(PROFILES / BLOCKED_EVERY);
		for (Export export : List.of(area, state, both)) {
			assertBounded(export);
		}
	}

	@Test
	@Order(3)
	void holdingTheRowsInAListWouldGrowTheHeapPastTheBound() {
		long before = liveHeap();

		List<Map<String, Object>> rows = this.jdbc.queryForList("""
				select p.username, p.first_name, p.last_name, p.email, p.area_id, p.state,
				       p.block_reason, p.built_in, p.source, p.created_at, p.last_sign_in_at
				from profile p order by p.username_key""");

		long growth = liveHeap() - before;
		System.out.printf("Holding %,d rows in a list: live heap growth %,d KB%n", rows.size(), growth / 1024);
		assertThat(rows).hasSize(PROFILES + 1);
		assertThat(growth).isGreaterThan(HEAP_GROWTH_LIMIT);
	}

	private void assertBounded(Export export) {
		assertThat(export.peak - export.before).as("%s: live heap growth during the export, in bytes", export.request)
			.isLessThan(HEAP_GROWTH_LIMIT);
		assertThat(export.peak - this.baseline)
			.as("%s: live heap during the export above the heap before any export, in bytes", export.request)
			.isLessThan(SLACK);
		assertThat(export.after - this.baseline)
			.as("%s: live heap after the export above the heap before any export, in bytes", export.request)
			.isLessThan(SLACK);
	}

	/**
	 * Runs one export into a counting writer, and measures the live heap before it, every
	 * {@code sampleEvery} lines while it runs, and after it.
	 */
	private Export export(ExportRequest request, int sampleEvery) throws IOException {
		long before = liveHeap();
		long[] peak = { before };
		CountingWriter out = new CountingWriter(sampleEvery, () -> peak[0] = Math.max(peak[0], liveHeap()));
		long started = System.nanoTime();
		long rows = this.people.export(request, Locale.ENGLISH, out, "console", "admin");
		long millis = (System.nanoTime() - started) / 1_000_000;
		long after = liveHeap();
		System.out.printf(
				"Exported %,d rows (%,d characters; area %s, state %s) in %,d ms with %d samples;"
						+ " live heap KB: before %,d, peak %,d, after %,d%n",
				rows, out.characters, request.areaId(), request.state(), millis, out.samples, before / 1024,
				peak[0] / 1024, after / 1024);
		return new Export(request, rows, out, before, peak[0], after);
	}

	/**
	 * The heap that live objects take: what is used right after a full collection.
	 */
	private static long liveHeap() {
		System.gc();
		Runtime runtime = Runtime.getRuntime();
		return runtime.totalMemory() - runtime.freeMemory();
	}

	private record Export(ExportRequest request, long rows, CountingWriter out, long before, long peak, long after) {
	}

	/**
	 * Counts what the export writes, keeps only the first data row and the last row, and
	 * runs a sampler every so many lines.
	 */
	private static final class CountingWriter extends Writer {

		private final int sampleEvery;

		private final Runnable sampler;

		private final StringBuilder line = new StringBuilder();

		long characters;

		long lines;

		int samples;

		String firstRow;

		String lastRow;

		CountingWriter(int sampleEvery, Runnable sampler) {
			this.sampleEvery = sampleEvery;
			this.sampler = sampler;
		}

		@Override
		public void write(int c) {
			this.characters++;
			if (c == '\n') {
				endOfLine();
			}
			else if (c != '\r') {
				this.line.append((char) c);
			}
		}

		@Override
		public void write(char[] buffer, int offset, int length) {
			for (int i = offset; i < offset + length; i++) {
				write(buffer[i]);
			}
		}

		@Override
		public void write(String text, int offset, int length) {
			for (int i = offset; i < offset + length; i++) {
				write(text.charAt(i));
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

		private void endOfLine() {
			this.lines++;
			this.lastRow = this.line.toString();
			if (this.lines == 2) {
				this.firstRow = this.lastRow;
			}
			this.line.setLength(0);
			if (this.lines % this.sampleEvery == 0) {
				this.samples++;
				this.sampler.run();
			}
		}

	}

}
