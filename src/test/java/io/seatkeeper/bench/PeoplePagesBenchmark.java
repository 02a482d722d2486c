package io.seatkeeper.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.CookieManager;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.seatkeeper.Pools;
import io.seatkeeper.people.ExportColumn;
import io.seatkeeper.people.ExportRequest;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.tokens.ApiTokens;
import io.seatkeeper.tokens.TokenScope;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages and the download as a sysadmin gets them, over HTTP from a started server, at
 * 10,000 and then at 1,000,000 profiles of one database grown in the same run: the
 * summary {@code /admin/system}, the License page, the people list's first page, a search
 * with the same 100 matches at both sizes and the list's filters, signed in through the
 * sign-in form; each against the raw SQL of the same figures in the same run. Then the
 * export of every profile through {@code GET /api/v1/profiles.csv} (a bearer token)
 * against PostgreSQL JDBC's {@code CopyManager} running
 * {@code COPY (select …) TO STDOUT WITH CSV} of the same columns in the same order into a
 * null stream, with the time to the first byte and the peak heap growth. PostgreSQL only
 * (the bench profile's PostgreSQL execution); the figures go to
 * {@code target/bench/people-pages-postgresql.txt}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "seatkeeper.admin.password=" + PeoplePagesBenchmark.PASSWORD, "seatkeeper.directory.cron=-" })
class PeoplePagesBenchmark {

	static final String PASSWORD = "bench-pages-secret-1";

	static final int SMALL = 10_000;

	static final int LARGE = Integer.getInteger("bench.pages.profiles", 1_000_000);

	static final int ROUNDS = Integer.getInteger("bench.pages.rounds", 30);

	static final int EXPORT_ROUNDS = Integer.getInteger("bench.pages.exportRounds", 3);

	/** A username prefix with the same 100 matches at both sizes (bench0001200 …). */
	static final String SEARCH = "bench00012";

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	ApiTokens tokens;

	@Autowired
	PeopleService people;

	private final HttpClient http = HttpClient.newBuilder()
		.cookieHandler(new CookieManager())
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private long partners;

	@Test
	void pagesStayFlatAndTheExportRunsAtTheDatabasesSpeed() throws Exception {
		Pools.reset(this.jdbc, 100_000_000, 100_000_000);
		this.jdbc.update("insert into area (name, name_key, kind, created_at)"
				+ " values ('Partners', 'partners', 'EXTRANET', current_timestamp)");
		this.partners = this.jdbc.queryForObject("select id from area where name_key = 'partners'", Long.class);
		List<String> lines = new ArrayList<>();
		lines.add(String.format("database: %s; rounds: %d (medians, ms), interleaved", BenchData.database(this.jdbc),
				ROUNDS));
		signIn();

		seed(1, SMALL);
		lines.add(load("load average at " + SMALL));
		Map<String, double[]> small = measure();
		long seeding = System.nanoTime();
		seed(SMALL + 1, LARGE);
		lines.add(String.format("grown to %d profiles in %.0f s", LARGE, (System.nanoTime() - seeding) / 1e9));
		lines.add(load("load average at " + LARGE));
		Map<String, double[]> large = measure();
		lines.add(load("load average after the pages"));

		lines.add("");
		lines.add(String.format("%-34s %9s %9s %8s | %9s %9s %8s | %s", "over HTTP (ms)", SMALL, LARGE, "ratio",
				"raw " + SMALL, "raw " + LARGE, "ratio", "targets: ratio <= 1.3, <= 50 ms at 1 M"));
		for (String page : small.keySet()) {
			double[] s = small.get(page);
			double[] l = large.get(page);
			boolean targeted = !page.startsWith("filter");
			String verdict = targeted ? ((l[0] / s[0] <= 1.3 && l[0] <= 50) ? "met" : "MISSED") : "(no target)";
			lines.add(String.format("%-34s %9.1f %9.1f %8.2f | %9.2f %9.2f %8.2f | %s", page, s[0], l[0], l[0] / s[0],
					s[1], l[1], l[1] / s[1], verdict));
		}
		lines.add("");
		lines.addAll(export());
		lines.add(load("load average at the end"));
		BenchData.write("people-pages", lines);
		Pools.reset(this.jdbc, 100, 100);
	}

	/**
	 * Every page's median over HTTP and its raw SQL's, rounds interleaved page by page.
	 */
	private Map<String, double[]> measure() throws Exception {
		Map<String, String> pages = new LinkedHashMap<>();
		pages.put("summary /admin/system", "/admin/system");
		pages.put("License page", "/admin/system/license");
		pages.put("people list, first page", "/admin/people");
		pages.put("search, the same 100 matches", "/admin/people?q=" + SEARCH);
		pages.put("filter: blocked", "/admin/people?state=BLOCKED");
		pages.put("filter: awaiting", "/admin/people?state=AWAITING");
		pages.put("filter: area Partners", "/admin/people?area=" + this.partners);
		pages.put("filter: no sign-in for 365 days", "/admin/people?dormant=365");
		pages.put("filter: area + active + 90 days",
				"/admin/people?area=" + this.partners + "&state=ACTIVE&dormant=90");
		Map<String, Callable<Object>> raw = new LinkedHashMap<>();
		raw.put("summary /admin/system", () -> List.of(
				this.jdbc.queryForList("select pool, count(*) from profile where state = 'ACTIVE' and built_in = false"
						+ " group by pool"),
				this.jdbc.queryForObject("select count(*) from profile where state = 'BLOCKED'", Long.class),
				this.jdbc.queryForList("select pool, count(*) from profile where state = 'BLOCKED'"
						+ " and block_reason = 'AWAITING_LICENSE' group by pool")));
		raw.put("License page",
				() -> List.of(this.jdbc.queryForList("select * from license_pool"),
						this.jdbc.queryForList("select pool, count(*) from profile where state = 'BLOCKED'"
								+ " and block_reason = 'AWAITING_LICENSE' group by pool"),
						this.jdbc.queryForList("select id, username, awaiting_since from profile where pool = 'PRIMARY'"
								+ " and state = 'BLOCKED' and block_reason = 'AWAITING_LICENSE'"
								+ " order by awaiting_since, id limit 20")));
		raw.put("people list, first page", () -> page("1 = 1"));
		raw.put("search, the same 100 matches",
				() -> page("(p.username_key like '" + SEARCH + "%' or p.email_key like '" + SEARCH
						+ "%' or p.first_name_key like '" + SEARCH + "%' or p.last_name_key like '" + SEARCH + "%')"));
		raw.put("filter: blocked", () -> page("p.state = 'BLOCKED'"));
		raw.put("filter: awaiting", () -> page("p.state = 'BLOCKED' and p.block_reason = 'AWAITING_LICENSE'"));
		raw.put("filter: area Partners", () -> page("p.area_id = " + this.partners));
		raw.put("filter: no sign-in for 365 days", () -> page("((p.last_sign_in_at is null and p.created_at <"
				+ " localtimestamp - interval '365 days') or p.last_sign_in_at < localtimestamp - interval '365 days')"));
		raw.put("filter: area + active + 90 days",
				() -> page("p.area_id = " + this.partners + " and p.state = 'ACTIVE' and ((p.last_sign_in_at is null"
						+ " and p.created_at < localtimestamp - interval '90 days')"
						+ " or p.last_sign_in_at < localtimestamp - interval '90 days')"));
		// Warm-up of every path.
		for (int i = 0; i < 10; i++) {
			for (String page : pages.keySet()) {
				get(pages.get(page));
				raw.get(page).call();
			}
		}
		Map<String, double[][]> samples = new LinkedHashMap<>();
		for (String page : pages.keySet()) {
			samples.put(page, new double[2][ROUNDS]);
		}
		for (int round = 0; round < ROUNDS; round++) {
			for (String page : pages.keySet()) {
				String path = pages.get(page);
				samples.get(page)[0][round] = time(() -> get(path));
				samples.get(page)[1][round] = time(raw.get(page));
			}
		}
		Map<String, double[]> medians = new LinkedHashMap<>();
		samples.forEach((page, both) -> medians.put(page, new double[] { median(both[0]), median(both[1]) }));
		return medians;
	}

	private List<Map<String, Object>> page(String where) {
		return this.jdbc.queryForList("select p.*, a.name from profile p join area a on a.id = p.area_id where " + where
				+ " order by p.username_key limit 51");
	}

	/**
	 * The export over HTTP against {@code COPY … TO STDOUT} of the same columns, rounds
	 * interleaved after a warm-up of both.
	 */
	private List<String> export() throws Exception {
		String token = this.tokens
			.create("bench-export-" + System.nanoTime(), Set.of(TokenScope.API_READ), null, "bench")
			.token();
		long profiles = this.jdbc.queryForObject("select count(*) from profile", Long.class);
		long[] bytes = new long[1];
		double[] firstByte = new double[EXPORT_ROUNDS + 1];
		long copied = copy();
		download(token, bytes, firstByte, 0);
		ExportRequest everything = new ExportRequest(EnumSet.allOf(ExportColumn.class), null, null, false);
		exportWithoutHttp(everything);
		double[] ours = new double[EXPORT_ROUNDS];
		double[] service = new double[EXPORT_ROUNDS];
		double[] baseline = new double[EXPORT_ROUNDS];
		double heap = 0;
		double copyHeap = 0;
		for (int i = 0; i < EXPORT_ROUNDS; i++) {
			int round = i + 1;
			double[] measured = BenchData.timeAndPeakHeap(() -> download(token, bytes, firstByte, round));
			ours[i] = measured[0];
			heap = Math.max(heap, measured[1]);
			service[i] = BenchData.timeAndPeakHeap(() -> exportWithoutHttp(everything))[0];
			double[] raw = BenchData.timeAndPeakHeap(this::copy);
			baseline[i] = raw[0];
			copyHeap = Math.max(copyHeap, raw[1]);
		}
		assertThat(copied).isEqualTo(profiles);
		List<String> lines = new ArrayList<>();
		lines.add(String.format("export of %d profiles, all 11 columns (%.1f MB), medians of %d rounds:", profiles,
				bytes[0] / 1048576.0, EXPORT_ROUNDS));
		double oursMillis = median(ours);
		double copyMillis = median(baseline);
		lines.add(String.format("  GET /api/v1/profiles.csv over HTTP: %.0f ms (rounds %s)", oursMillis,
				Arrays.toString(rounded(ours))));
		lines.add(String.format("  CopyManager COPY (select ...) TO STDOUT WITH CSV, same columns and order, to a"
				+ " null stream: %.0f ms (rounds %s)", copyMillis, Arrays.toString(rounded(baseline))));
		lines.add(String.format(
				"  the same export without HTTP (PeopleService.export to a null stream): %.0f ms"
						+ " (rounds %s), %.2f x the COPY",
				median(service), Arrays.toString(rounded(service)), median(service) / copyMillis));
		lines.add(String.format("  ratio: %.2f (target <= 1.2) %s", oursMillis / copyMillis,
				(oursMillis / copyMillis <= 1.2) ? "met" : "MISSED"));
		lines
			.add("  PostgreSQL's JIT: available " + this.jdbc.queryForObject("select pg_jit_available()", Boolean.class)
					+ ", jit = " + this.jdbc.queryForObject("show jit", String.class));
		double[] measuredFirst = Arrays.copyOfRange(firstByte, 1, firstByte.length);
		lines.add(String.format("  first byte of the body after %.1f ms (median; target <= 200 ms), first row after"
				+ " the header included in it", median(measuredFirst)));
		lines.add(String.format(
				"  peak heap growth during the download: %.1f MB (target <= 64 MB); during COPY" + " alone: %.1f MB",
				heap, copyHeap));
		return lines;
	}

	private void exportWithoutHttp(ExportRequest request) {
		try {
			this.people.export(request, Locale.ENGLISH, OutputStream.nullOutputStream(), "bench", "admin");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The download as a plain HTTP client reads it (a blocking connection, 64 KB reads),
	 * the body counted and dropped.
	 */
	private void download(String token, long[] bytes, double[] firstByte, int round) {
		long start = System.nanoTime();
		try {
			HttpURLConnection connection = (HttpURLConnection) uri("/api/v1/profiles.csv").toURL().openConnection();
			connection.setRequestProperty("Authorization", "Bearer " + token);
			assertThat(connection.getResponseCode()).isEqualTo(200);
			long total = 0;
			byte[] buffer = new byte[64 * 1024];
			try (InputStream body = connection.getInputStream()) {
				int read;
				while ((read = body.read(buffer)) >= 0) {
					if (total == 0 && read > 0) {
						firstByte[round] = (System.nanoTime() - start) / 1_000_000.0;
					}
					total += read;
				}
			}
			bytes[0] = total;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private long copy() {
		try (Connection connection = this.dataSource.getConnection()) {
			return connection.unwrap(PGConnection.class).getCopyAPI().copyOut("""
					copy (select p.username, p.first_name, p.last_name, p.email, a.name, p.state,
					             p.state = 'ACTIVE' and not p.built_in, p.block_reason, p.source, p.created_at,
					             p.last_sign_in_at
					      from profile p join area a on a.id = p.area_id order by p.username_key)
					to stdout with (format csv)""", OutputStream.nullOutputStream());
		}
		catch (SQLException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Profiles {@code bench<from>} … {@code bench<to>} in one statement: one in ten in
	 * the Extranet area Partners, one in ten blocked by an administrator, one in a
	 * thousand awaiting a licence; one in seven never signed in, the others up to 400
	 * days ago.
	 */
	private void seed(int from, int to) {
		long primary = this.jdbc.queryForObject("select id from area where kind = 'PRIMARY'", Long.class);
		this.jdbc.update("""
				insert into profile (username, username_key, email, email_key, first_name, first_name_key,
				    last_name, last_name_key, area_id, pool, state, block_reason, source, created_at, updated_at,
				    blocked_at, awaiting_since, last_sign_in_at)
				select 'bench' || lpad(cast(x as varchar), 7, '0'), 'bench' || lpad(cast(x as varchar), 7, '0'),
				       'bench' || x || '@example.org', 'bench' || x || '@example.org',
				       'First' || (x % 1000), 'first' || (x % 1000), 'Smith' || (x % 5000), 'smith' || (x % 5000),
				       case when x % 10 = 3 then ? else ? end,
				       case when x % 10 = 3 then 'EXTRANET' else 'PRIMARY' end,
				       case when x % 10 = 0 or x % 1000 = 5 then 'BLOCKED' else 'ACTIVE' end,
				       case when x % 10 = 0 then 'ADMINISTRATOR' when x % 1000 = 5 then 'AWAITING_LICENSE' end,
				       'LOCAL', localtimestamp - (x % 1100) * interval '1 day', localtimestamp,
				       case when x % 10 = 0 or x % 1000 = 5 then localtimestamp end,
				       case when x % 1000 = 5 then localtimestamp - x * interval '1 second' end,
				       case when x % 7 <> 0 then localtimestamp - (x % 400) * interval '1 day' end
				from generate_series(?, ?) as g(x)""", this.partners, primary, from, to);
		this.jdbc.update("update license_pool l set active_count = (select count(*) from profile p"
				+ " where p.state = 'ACTIVE' and p.built_in = false and p.pool = l.pool)");
		this.jdbc.execute("vacuum analyze profile");
		assertThat(this.jdbc.queryForList("select 1 from profile where username_key like '" + SEARCH + "%'"))
			.hasSize(100);
	}

	private void signIn() throws Exception {
		HttpResponse<String> form = this.http.send(HttpRequest.newBuilder(uri("/login")).build(),
				HttpResponse.BodyHandlers.ofString());
		Matcher csrf = CSRF.matcher(form.body());
		assertThat(csrf.find()).as("the sign-in form's CSRF token").isTrue();
		String body = "username=admin&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&_csrf="
				+ URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
		HttpResponse<String> signedIn = this.http.send(HttpRequest.newBuilder(uri("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(signedIn.statusCode()).isEqualTo(302);
		assertThat(signedIn.headers().firstValue("Location").orElse("")).doesNotContain("error");
	}

	private Object get(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(path)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return response;
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private static double time(Callable<Object> action) throws Exception {
		long start = System.nanoTime();
		action.call();
		return (System.nanoTime() - start) / 1_000_000.0;
	}

	private static double median(double[] samples) {
		double[] sorted = samples.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	private static long[] rounded(double[] values) {
		return Arrays.stream(values).mapToLong(Math::round).toArray();
	}

	private static String load(String when) {
		return String.format("%s: %.2f (1-minute, %d processors)", when,
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
				Runtime.getRuntime().availableProcessors());
	}

}
