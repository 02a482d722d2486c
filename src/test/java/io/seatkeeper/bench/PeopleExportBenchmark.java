package io.seatkeeper.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import io.seatkeeper.people.ExportColumn;
import io.seatkeeper.people.ExportRequest;
import io.seatkeeper.people.PeopleService;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The people export of a million profiles against the raw baseline of the same run: plain
 * JDBC {@code ResultSet} to commons-csv {@code CSVPrinter}, both into a null writer.
 * Prints both times, their ratio and each one's peak heap growth. Targets: at most 1.5 ×
 * the baseline, heap growth under 64 MB.
 */
@SpringBootTest
class PeopleExportBenchmark {

	static final int PROFILES = Integer.getInteger("bench.export.profiles", 1_000_000);

	static final int ROUNDS = Integer.getInteger("bench.export.rounds", 3);

	@Autowired
	PeopleService people;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void exportOfAMillionProfilesAgainstRawJdbc() throws IOException {
		BenchData.seed(this.jdbc, "export", PROFILES);
		ExportRequest everything = new ExportRequest(EnumSet.allOf(ExportColumn.class), null, null, false);
		// Warm-up of both paths.
		export(everything);
		raw();
		List<double[]> ours = new ArrayList<>();
		List<double[]> baseline = new ArrayList<>();
		for (int i = 0; i < ROUNDS; i++) {
			ours.add(BenchData.timeAndPeakHeap(() -> export(everything)));
			baseline.add(BenchData.timeAndPeakHeap(this::raw));
		}
		double oursMillis = median(ours, 0);
		double rawMillis = median(baseline, 0);
		List<String> lines = new ArrayList<>();
		lines.add("database: " + BenchData.database(this.jdbc));
		lines.add(String.format("profiles exported: %d, rounds: %d (median)", PROFILES + 1, ROUNDS));
		lines.add(String.format("seatkeeper export: %.0f ms, peak heap growth %.1f MB", oursMillis, max(ours, 1)));
		lines.add(String.format("raw JDBC -> CSVPrinter: %.0f ms, peak heap growth %.1f MB", rawMillis,
				max(baseline, 1)));
		lines.add(String.format("ratio: %.2f (target <= 1.5); heap growth target < 64 MB", oursMillis / rawMillis));
		BenchData.write("export", lines);
	}

	private void export(ExportRequest request) {
		try {
			this.people.export(request, Locale.ENGLISH, Writer.nullWriter(), "bench", "admin");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void raw() {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try (PreparedStatement statement = connection.prepareStatement("""
					select p.username, p.first_name, p.last_name, p.email, a.name, p.state, p.block_reason,
					       p.built_in, p.source, p.created_at, p.last_sign_in_at
					from profile p join area a on a.id = p.area_id order by p.username_key""")) {
				statement.setFetchSize(1000);
				try (ResultSet rs = statement.executeQuery();
						CSVPrinter csv = new CSVPrinter(Writer.nullWriter(), CSVFormat.RFC4180)) {
					csv.printRecord("Username", "First name", "Last name", "E-mail", "Area", "Account state",
							"Uses licence", "Blocked reason", "Source", "Created", "Last sign-in");
					while (rs.next()) {
						csv.printRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
								rs.getString(5), rs.getString(6), rs.getString(7), rs.getBoolean(8), rs.getString(9),
								rs.getTimestamp(10), rs.getTimestamp(11));
					}
				}
			}
			connection.commit();
		}
		catch (SQLException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static double median(List<double[]> samples, int index) {
		double[] values = samples.stream().mapToDouble((sample) -> sample[index]).sorted().toArray();
		return values[values.length / 2];
	}

	private static double max(List<double[]> samples, int index) {
		return samples.stream().mapToDouble((sample) -> sample[index]).max().orElse(0);
	}

}
