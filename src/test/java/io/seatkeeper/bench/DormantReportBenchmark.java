package io.seatkeeper.bench;

import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.seatkeeper.people.DormantReport;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reclaim report at a million profiles, on PostgreSQL: its per-pool counts, its first
 * page and its whole CSV, each timed through {@link DormantReport} against a raw SQL
 * baseline that asks the same in one plain statement; and the plan of a count, to show
 * the index it uses. Run with {@code ./mvnw -B -Pbench verify} (its PostgreSQL execution
 * only, as the pom says); the figures go to
 * {@code target/bench/dormant-report-postgresql.txt}.
 */
@SpringBootTest
class DormantReportBenchmark {

	static final int PROFILES = Integer.getInteger("bench.profiles", 1_000_000);

	static final int ROUNDS = Integer.getInteger("bench.rounds", 15);

	@Autowired
	DormantReport report;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void reportCostsIndexRangesAtAMillionProfiles() throws IOException {
		seed();
		Timestamp cutoff = Timestamp.from(Instant.now().minus(Duration.ofDays(90)));
		List<String> lines = new ArrayList<>();
		lines.add(String.format("profiles: %d, rounds: %d, database: %s", PROFILES, ROUNDS,
				BenchData.database(this.jdbc)));
		lines.add(String.format("load average before: %.2f (%d processors)",
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
				Runtime.getRuntime().availableProcessors()));
		List<DormantReport.PoolCounts> pools = this.report.pools(90);
		lines.add("report: " + pools);
		long expected = this.jdbc.queryForObject(
				"select count(*) from profile where state = 'ACTIVE' and built_in = false "
						+ "and (last_sign_in_at < ? or (last_sign_in_at is null and created_at < ?))",
				Long.class, cutoff, cutoff);
		assertThat(pools.stream().mapToLong(DormantReport.PoolCounts::wouldFree).sum()).isEqualTo(expected);
		lines.add(String.format("%-30s %12s %12s %8s", "(ms, median)", "seatkeeper", "raw SQL", "ratio"));
		row(lines, "counts per pool (90 days)", () -> this.report.pools(90),
				() -> this.jdbc.queryForList(
						"select pool, " + "sum(case when last_sign_in_at < ? then 1 else 0 end), "
								+ "sum(case when last_sign_in_at is null and created_at < ? then 1 else 0 end) "
								+ "from profile where state = 'ACTIVE' and built_in = false group by pool",
						cutoff, cutoff));
		row(lines, "counts per pool (365 days)", () -> this.report.pools(365), () -> {
			Timestamp year = Timestamp.from(Instant.now().minus(Duration.ofDays(365)));
			this.jdbc.queryForList("select pool, sum(case when last_sign_in_at < ? then 1 else 0 end), "
					+ "sum(case when last_sign_in_at is null and created_at < ? then 1 else 0 end) "
					+ "from profile where state = 'ACTIVE' and built_in = false group by pool", year, year);
		});
		row(lines, "first page of 100", () -> this.report.page(90, null, 100),
				() -> this.jdbc.queryForList(
						"select id, username, pool, last_sign_in_at, created_at from profile "
								+ "where state = 'ACTIVE' and built_in = false and (last_sign_in_at < ? "
								+ "or (last_sign_in_at is null and created_at < ?)) order by id limit 101",
						cutoff, cutoff));
		double csv = once(() -> {
			try {
				this.report.writeCsv(90, Writer.nullWriter(), "bench", "bench");
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		double rawAll = once(() -> this.jdbc.query("select id, username, pool, last_sign_in_at, created_at "
				+ "from profile where state = 'ACTIVE' and built_in = false and (last_sign_in_at < ? "
				+ "or (last_sign_in_at is null and created_at < ?)) order by id", (rs) -> {
				}, cutoff, cutoff));
		lines.add(String.format("%-30s %12.1f %12.1f %8.2f", "whole CSV (" + expected + " rows)", csv, rawAll,
				csv / rawAll));
		lines.add("plan of the Primary pool's dormant count:");
		this.jdbc
			.queryForList("explain select count(*) from profile p where p.state = 'ACTIVE' and p.pool = 'PRIMARY' "
					+ "and p.last_sign_in_at < now() - interval '90 days' and p.built_in = false", String.class)
			.forEach((line) -> lines.add("  " + line));
		lines.add(String.format("load average after: %.2f",
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
		BenchData.write("dormant-report", lines);
	}

	private static void row(List<String> lines, String name, Runnable seatkeeper, Runnable baseline) {
		double ours = median(seatkeeper);
		double raw = median(baseline);
		lines.add(String.format("%-30s %12.1f %12.1f %8.2f", name, ours, raw, ours / raw));
	}

	private static double median(Runnable action) {
		for (int i = 0; i < 3; i++) {
			action.run();
		}
		double[] samples = new double[ROUNDS];
		for (int i = 0; i < ROUNDS; i++) {
			samples[i] = once(action);
		}
		Arrays.sort(samples);
		return samples[ROUNDS / 2];
	}

	private static double once(Runnable action) {
		long start = System.nanoTime();
		action.run();
		return (System.nanoTime() - start) / 1_000_000.0;
	}

	/**
	 * A million profiles (one in ten blocked), a tenth of them in the Extranet pool, as
	 * an intranet has them: most signed in within the last two months, one in five up to
	 * two years ago, one in seven never; created up to three years ago.
	 */
	private void seed() {
		BenchData.seed(this.jdbc, "dormant", PROFILES);
		this.jdbc.update("""
				update profile set
				    pool = case when id % 10 in (3, 9) then 'EXTRANET' else pool end,
				    created_at = current_timestamp - (id % 1095) * interval '1 day',
				    last_sign_in_at = case when id % 7 = 0 then null
				        when id % 10 < 8 then current_timestamp - (id % 60) * interval '1 day'
				        else current_timestamp - (id % 730) * interval '1 day' end
				where built_in = false""");
		this.jdbc.execute("vacuum analyze profile");
	}

}
