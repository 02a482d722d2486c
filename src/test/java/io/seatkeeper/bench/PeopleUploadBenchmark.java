package io.seatkeeper.bench;

import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.seatkeeper.people.ImportMode;
import io.seatkeeper.people.ImportService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 100,000-row CSV upload (parse, validate, check, insert through the gate) against the
 * raw baseline of the same run: a JDBC batch insert of the same rows in one transaction.
 * Prints both times, their ratio and the machine's load. Target: at most 1.3 × the
 * baseline.
 */
@SpringBootTest
class PeopleUploadBenchmark {

	static final int ROWS = Integer.getInteger("bench.upload.rows", 100_000);

	static final int ROUNDS = Integer.getInteger("bench.upload.rounds", 3);

	@Autowired
	ImportService imports;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Test
	void uploadOfAHundredThousandRowsAgainstRawBatchInsert() throws Exception {
		BenchData.seed(this.jdbc, "existing", 10_000);
		double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
		byte[] file = BenchData.uploadFile(ROWS);
		long primary = this.jdbc.queryForObject("select id from area where kind = 'PRIMARY'", Long.class);
		// Warm-up of both paths.
		upload(file);
		clean();
		raw(primary);
		clean();
		double[] ours = new double[ROUNDS];
		double[] baseline = new double[ROUNDS];
		for (int i = 0; i < ROUNDS; i++) {
			ours[i] = BenchData.timeAndPeakHeap(() -> upload(file))[0];
			clean();
			baseline[i] = BenchData.timeAndPeakHeap(() -> raw(primary))[0];
			clean();
		}
		java.util.Arrays.sort(ours);
		java.util.Arrays.sort(baseline);
		double oursMillis = ours[ROUNDS / 2];
		double rawMillis = baseline[ROUNDS / 2];
		List<String> lines = new ArrayList<>();
		lines.add("database: " + BenchData.database(this.jdbc));
		lines.add(String.format("rows uploaded: %d (%.1f MB), rounds: %d (median)", ROWS, file.length / 1048576.0,
				ROUNDS));
		lines.add(String.format("seatkeeper upload (parse, validate, check, insert): %.0f ms", oursMillis));
		lines.add(String.format("raw JDBC batch insert: %.0f ms", rawMillis));
		lines.add(String.format("ratio: %.2f (target <= 1.3)", oursMillis / rawMillis));
		lines.add(String.format("load average (1-minute, %d processors): %.2f before, %.2f after",
				Runtime.getRuntime().availableProcessors(), loadBefore,
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
		BenchData.write("upload", lines);
	}

	private void upload(byte[] file) {
		ImportService.ImportResult result = this.imports.importNow("bench.csv", file, ImportMode.ALL_OR_NOTHING,
				"admin", Locale.ENGLISH);
		assertThat(result.job().created()).isEqualTo(ROWS);
	}

	private void raw(long primary) {
		Timestamp now = Timestamp.from(Instant.now());
		this.transactions.executeWithoutResult((status) -> {
			List<Object[]> batch = new ArrayList<>(1000);
			for (int i = 1; i <= ROWS; i++) {
				String username = "upload" + i;
				batch.add(new Object[] { username, username, username + "@example.org", username + "@example.org",
						"First" + i, "first" + i, "Last" + i, "last" + i, primary, now, now });
				if (batch.size() == 1000) {
					insert(batch);
					batch.clear();
				}
			}
			insert(batch);
		});
	}

	private void insert(List<Object[]> batch) {
		this.jdbc.batchUpdate("insert into profile (username, username_key, email, email_key, first_name,"
				+ " first_name_key, last_name, last_name_key, area_id, pool, state, source, created_at, updated_at)"
				+ " values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'PRIMARY', 'ACTIVE', 'CSV', ?, ?)", batch);
	}

	private void clean() {
		this.jdbc.update("delete from profile where username_key like 'upload%'");
		this.jdbc.update("update license_pool set active_count = (select count(*) from profile where state = 'ACTIVE'"
				+ " and built_in = false and pool = 'PRIMARY') where pool = 'PRIMARY'");
	}

}
