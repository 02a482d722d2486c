package io.seatkeeper.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.seatkeeper.TestDatabase;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the benchmarks share: fast seeding of profiles in one statement, the database's
 * name, the peak heap during an action, and the report file.
 */
final class BenchData {

	private BenchData() {
	}

	/**
	 * Inserts {@code count} profiles named {@code prefix0000001}… in the Primary Area,
	 * one in ten blocked, with one statement.
	 */
	static void seed(JdbcTemplate jdbc, String prefix, int count) {
		long primary = jdbc.queryForObject("select id from area where kind = 'PRIMARY'", Long.class);
		String series = TestDatabase.postgresql() ? "generate_series(1, ?) as g(x)" : "system_range(1, ?)";
		jdbc.update("insert into profile (username, username_key, email, email_key, first_name, first_name_key,"
				+ " last_name, last_name_key, area_id, pool, state, block_reason, source, created_at, updated_at)"
				+ " select '" + prefix + "' || lpad(cast(x as varchar), 7, '0'), '" + prefix
				+ "' || lpad(cast(x as varchar), 7, '0'), '" + prefix + "' || x || '@example.org', '" + prefix
				+ "' || x || '@example.org', 'First' || (x % 1000), 'first' || (x % 1000), 'Smith' || (x % 5000),"
				+ " 'smith' || (x % 5000), ?, 'PRIMARY', case when x % 10 = 0 then 'BLOCKED' else 'ACTIVE' end,"
				+ " case when x % 10 = 0 then 'ADMINISTRATOR' else null end, 'LOCAL', current_timestamp,"
				+ " current_timestamp from " + series, primary, count);
		jdbc.update("update license_pool set max_users = 100000000,"
				+ " active_count = (select count(*) from profile where state = 'ACTIVE' and built_in = false"
				+ " and pool = 'PRIMARY') where pool = 'PRIMARY'");
		if (TestDatabase.postgresql()) {
			jdbc.execute("analyze profile");
		}
	}

	/**
	 * A CSV upload of {@code rows} new Primary profiles ({@code upload1} …), as the
	 * console and the API take it.
	 */
	static byte[] uploadFile(int rows) {
		StringBuilder csv = new StringBuilder("username,email,first_name,last_name,area\n");
		for (int i = 1; i <= rows; i++) {
			csv.append("upload")
				.append(i)
				.append(',')
				.append("upload")
				.append(i)
				.append("@example.org,First")
				.append(i)
				.append(",Last")
				.append(i)
				.append(",\n");
		}
		return csv.toString().getBytes(StandardCharsets.UTF_8);
	}

	static String database(JdbcTemplate jdbc) {
		return TestDatabase.postgresql() ? jdbc.queryForObject("select version()", String.class)
				: "H2 " + jdbc.queryForObject("select h2version()", String.class) + " (file)";
	}

	/**
	 * Runs the action and returns its time in milliseconds and the growth of the used
	 * heap over the level before it, sampled every few milliseconds, in megabytes.
	 */
	static double[] timeAndPeakHeap(Runnable action) {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		System.gc();
		long before = memory.getHeapMemoryUsage().getUsed();
		AtomicLong peak = new AtomicLong(before);
		Thread sampler = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
				try {
					Thread.sleep(2);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		});
		sampler.setDaemon(true);
		sampler.start();
		long start = System.nanoTime();
		action.run();
		double millis = (System.nanoTime() - start) / 1_000_000.0;
		sampler.interrupt();
		return new double[] { millis, Math.max(0, peak.get() - before) / (1024.0 * 1024.0) };
	}

	static void write(String name, List<String> lines) throws IOException {
		Path out = Path.of("target", "bench", name + "-" + (TestDatabase.postgresql() ? "postgresql" : "h2") + ".txt");
		Files.createDirectories(out.getParent());
		Files.write(out, lines);
		lines.forEach(System.out::println);
	}

}
