package io.seatkeeper.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfilePage;
import io.seatkeeper.people.ProfileQuery;
import io.seatkeeper.people.StateFilter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/profiles}'s query at a million profiles, on PostgreSQL: the first
 * page and the page at 90 % of the ids, unfiltered and by each filter, timed through
 * {@link PeopleService#pageById}, with the plan PostgreSQL chooses for each. Run with
 * {@code ./mvnw -B -Pbench verify} (PostgreSQL only); the figures go to
 * {@code target/bench/profile-list-api.txt}.
 */
@SpringBootTest
class ProfileListApiBenchmark {

	static final int PROFILES = Integer.getInteger("bench.profiles", 1_000_000);

	static final int ROUNDS = Integer.getInteger("bench.rounds", 30);

	static final int LIMIT = 1000;

	@Autowired
	PeopleService people;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void aDeepPageCostsAboutWhatTheFirstDoes() throws IOException {
		long extranet = seed();
		long deep = this.jdbc.queryForObject("select min(id) + (max(id) - min(id)) * 9 / 10 from profile", Long.class);
		List<String> lines = new ArrayList<>();
		lines.add(String.format("profiles: %d, limit: %d, rounds: %d, database: %s", PROFILES, LIMIT, ROUNDS,
				this.jdbc.queryForObject("select version()", String.class)));
		lines.add(String.format("%-34s %12s %12s %8s", "filter", "first (ms)", "at 90 % (ms)", "ratio"));
		double worst = 0;
		worst = Math.max(worst, row(lines, "none", query(null, null, null, null), deep));
		worst = Math.max(worst, row(lines, "state=blocked", query(null, null, StateFilter.BLOCKED, null), deep));
		worst = Math.max(worst, row(lines, "state=awaiting", query(null, null, StateFilter.AWAITING, null), deep));
		worst = Math.max(worst, row(lines, "area=Partners", query(null, extranet, null, null), deep));
		worst = Math.max(worst, row(lines, "dormantDays=90", query(null, null, null, 90), deep));
		worst = Math.max(worst,
				row(lines, "area+state=active+dormantDays=90", query(null, extranet, StateFilter.ACTIVE, 90), deep));
		row(lines, "q=smith42 (a search)", query("smith42", null, null, null), deep);
		lines.add("");
		lines.add("plans (page at 90 %):");
		plan(lines, "select * from profile where id > " + deep + " order by id limit " + (LIMIT + 1));
		plan(lines,
				"select * from profile where state = 'BLOCKED' and id > " + deep + " order by id limit " + (LIMIT + 1));
		plan(lines, "select * from profile where area_id = " + extranet + " and id > " + deep + " order by id limit "
				+ (LIMIT + 1));
		Path out = Path.of("target", "bench", "profile-list-api.txt");
		Files.createDirectories(out.getParent());
		Files.write(out, lines);
		lines.forEach(System.out::println);
		assertThat(worst).as("a deep page costs about what the first does").isLessThan(10);
	}

	private double row(List<String> lines, String name, Supplier<ProfileQuery> filter, long deep) {
		double first = time(() -> page(filter.get(), null));
		double atNinety = time(() -> page(filter.get(), deep));
		double ratio = atNinety / first;
		lines.add(String.format("%-34s %12.3f %12.3f %8.2f", name, first, atNinety, ratio));
		return ratio;
	}

	private static Supplier<ProfileQuery> query(String text, Long areaId, StateFilter state, Integer dormantDays) {
		return () -> new ProfileQuery(text, areaId, state, dormantDays, null, LIMIT);
	}

	private void page(ProfileQuery query, Long after) {
		ProfilePage page = this.people.pageById(query, after, LIMIT);
		assertThat(page.profiles()).isNotEmpty();
	}

	private void plan(List<String> lines, String sql) {
		lines.add(sql);
		this.jdbc.queryForList("explain " + sql, String.class).forEach((line) -> lines.add("  " + line));
	}

	/**
	 * The median of the rounds after a warm-up, in milliseconds.
	 */
	private static double time(Runnable action) {
		for (int i = 0; i < 3; i++) {
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

	/**
	 * A million profiles: one in ten in an Extranet area, one in ten blocked (half of
	 * them awaiting a licence), a third last signed in a year ago, the rest today.
	 */
	private long seed() {
		this.jdbc.update("delete from profile where built_in = false");
		this.jdbc.update("delete from area where kind = 'EXTRANET'");
		long primary = this.jdbc.queryForObject("select id from area where kind = 'PRIMARY'", Long.class);
		this.jdbc.update("insert into area (name, name_key, kind, created_at) "
				+ "values ('Partners', 'partners', 'EXTRANET', current_timestamp)");
		long extranet = this.jdbc.queryForObject("select id from area where kind = 'EXTRANET'", Long.class);
		this.jdbc.update("""
				insert into profile (username, username_key, email, email_key, first_name, first_name_key,
				    last_name, last_name_key, area_id, pool, state, block_reason, source, created_at, updated_at,
				    blocked_at, awaiting_since, last_sign_in_at)
				select 'user' || lpad(g::text, 7, '0'), 'user' || lpad(g::text, 7, '0'),
				    'user' || g || '@example.org', 'user' || g || '@example.org',
				    'First' || (g % 1000), 'first' || (g % 1000), 'Smith' || (g % 5000), 'smith' || (g % 5000),
				    case when g % 10 = 3 then ? else ? end,
				    case when g % 10 = 3 then 'EXTRANET' else 'PRIMARY' end,
				    case when g % 10 = 0 then 'BLOCKED' else 'ACTIVE' end,
				    case when g % 20 = 0 then 'AWAITING_LICENSE' when g % 10 = 0 then 'ADMINISTRATOR' else null end,
				    'LOCAL', current_timestamp - interval '2 years', current_timestamp,
				    case when g % 10 = 0 then current_timestamp else null end,
				    case when g % 20 = 0 then current_timestamp else null end,
				    case when g % 3 = 0 then current_timestamp - interval '1 year' else current_timestamp end
				from generate_series(1, ?) g
				""", extranet, primary, PROFILES);
		this.jdbc.execute("analyze profile");
		return extranet;
	}

}
