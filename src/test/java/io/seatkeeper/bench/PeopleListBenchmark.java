package io.seatkeeper.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileQuery;
import io.seatkeeper.people.StateFilter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The people list at a million profiles, on PostgreSQL: each kind of page (first, deep,
 * filtered, searched) timed through {@link PeopleService#search}, against the raw SQL
 * baseline of the same page and against offset paging. Run with
 * {@code ./mvnw -B -Pbench verify}; the figures go to
 * {@code target/bench/people-list.txt}.
 */
@SpringBootTest
class PeopleListBenchmark {

	static final int PROFILES = Integer.getInteger("bench.profiles", 1_000_000);

	static final int ROUNDS = Integer.getInteger("bench.rounds", 30);

	@Autowired
	PeopleService people;

	@Autowired
	JdbcTemplate jdbc;

	static boolean seeded;

	@BeforeAll
	static void announce() {
		System.out.printf("Seeding %d profiles%n", PROFILES);
	}

	@Test
	void pagesCostTheSameAtAMillionRows() throws IOException {
		seed();
		String deep = String.format("user%07d", PROFILES * 9 / 10);
		List<String> lines = new ArrayList<>();
		lines.add(String.format("profiles: %d, rounds: %d, database: %s", PROFILES, ROUNDS,
				this.jdbc.queryForObject("select version()", String.class)));
		lines.add(String.format("%-28s %12s %12s %8s", "page", "seatkeeper", "raw SQL", "ratio"));
		double first = row(lines, "first page", () -> page(null, null, null),
				() -> raw("select * from profile order by username_key limit 51"));
		double deepPage = row(lines, "page at 90 %", () -> page(null, null, deep),
				() -> raw("select * from profile where username_key > '" + deep + "' order by username_key limit 51"));
		row(lines, "blocked, first page", () -> page(null, StateFilter.BLOCKED, null),
				() -> raw("select * from profile where state = 'BLOCKED' order by username_key limit 51"));
		String prefix = deep.substring(0, deep.length() - 2);
		row(lines, "search \"" + prefix + "\"", () -> page(prefix, null, null), () -> raw(
				"select * from profile where username_key like '" + prefix + "%' order by username_key limit 51"));
		row(lines, "search last name \"smith4\"", () -> page("smith4", null, null),
				() -> raw("select * from profile where last_name_key like 'smith4%' order by username_key limit 51"));
		double offset = time(
				() -> raw("select * from profile order by username_key offset " + (PROFILES * 9 / 10) + " limit 51"));
		lines.add(String.format("%-28s %12s %12.3f %8s", "(offset paging at 90 %)", "-", offset, "-"));
		lines.add(String.format("deep page / first page (keyset): %.2f", deepPage / first));
		lines.add(String.format("offset page at 90 %% / keyset page at 90 %%: %.1f", offset / deepPage));
		Path out = Path.of("target", "bench", "people-list.txt");
		Files.createDirectories(out.getParent());
		Files.write(out, lines);
		lines.forEach(System.out::println);
		assertThat(deepPage / first).as("a deep page costs about what the first does").isLessThan(10);
	}

	private double row(List<String> lines, String name, Runnable seatkeeper, Runnable baseline) {
		double ours = time(seatkeeper);
		double raw = time(baseline);
		lines.add(String.format("%-28s %12.3f %12.3f %8.2f", name, ours, raw, ours / raw));
		return ours;
	}

	private void page(String text, StateFilter state, String after) {
		assertThat(this.people.search(new ProfileQuery(text, null, state, after, 50)).profiles()).isNotEmpty();
	}

	private void raw(String sql) {
		assertThat(this.jdbc.queryForList(sql)).isNotEmpty();
	}

	/**
	 * The median of the rounds after a warm-up, in milliseconds.
	 */
	private static double time(Runnable action) {
		for (int i = 0; i < 5; i++) {
			action.run();
		}
		double[] samples = new double[ROUNDS];
		for (int i = 0; i < ROUNDS; i++) {
			long start = System.nanoTime();
			action.run();
			samples[i] = (System.nanoTime() - start) / 1_000_000.0;
		}
		Arrays.sort(samples);
		return samples[ROUNDS / 2];
	}

	private void seed() {
		if (seeded) {
			return;
		}
		long primary = this.jdbc.queryForObject("select id from area where kind = 'PRIMARY'", Long.class);
		this.jdbc.update("""
				insert into profile (username, username_key, email, email_key, first_name, first_name_key,
				    last_name, last_name_key, area_id, pool, state, block_reason, source, created_at, updated_at)
				select 'user' || lpad(g::text, 7, '0'), 'user' || lpad(g::text, 7, '0'),
				    'user' || g || '@example.org', 'user' || g || '@example.org',
				    'First' || (g % 1000), 'first' || (g % 1000), 'Smith' || (g % 5000), 'smith' || (g % 5000),
				    ?, 'PRIMARY',
				    case when g % 10 = 0 then 'BLOCKED' else 'ACTIVE' end,
				    case when g % 10 = 0 then 'ADMINISTRATOR' else null end,
				    'LOCAL', current_timestamp, current_timestamp
				from generate_series(1, ?) g
				""", primary, PROFILES);
		this.jdbc.execute("analyze profile");
		seeded = true;
	}

}
