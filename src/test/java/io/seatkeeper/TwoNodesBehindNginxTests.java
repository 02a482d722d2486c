package io.seatkeeper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;
import com.zaxxer.hikari.HikariDataSource;
import io.seatkeeper.license.LicenseService;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileView;
import io.seatkeeper.people.jobs.JobHeartbeat;
import io.seatkeeper.tokens.ApiTokens;
import io.seatkeeper.tokens.TokenScope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.seatkeeper.HttpForms.csrf;
import static io.seatkeeper.HttpForms.encode;
import static io.seatkeeper.HttpForms.sessionCookie;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes on one PostgreSQL database behind a real nginx, round robin without sticky
 * sessions, with the deployment's proxy settings ({@code docker/nginx/proxy.conf}),
 * driven over HTTP through the proxy as browsers and API clients use it. Node A runs in
 * the test's JVM (so that it can be stopped gracefully and started again), node B in a
 * JVM of its own (so that it can be killed with {@code kill -9}). The tests run in order
 * on the same nodes: the last one looks back at the scheduled jobs over all of them.
 */
@NginxTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodesBehindNginxTests {

	private static final String PASSWORD = "behind-the-proxy";

	/** Each scheduled job under the lock that these settings fire every 2 s. */
	private static final List<String> TWO_SECOND_JOBS = List.of("pool-check", "usage-snapshot", "license-expiry-check");

	/** The settings of both nodes: short heartbeats, drain and schedules. */
	private static final String[] SETTINGS = { "seatkeeper.jobs.heartbeat-interval=1s",
			"seatkeeper.jobs.heartbeat-timeout=4s", "seatkeeper.shutdown.drain-delay=1s",
			"seatkeeper.jobs.shutdown-grace=2s", "seatkeeper.mail.pool-check-interval=2s",
			"seatkeeper.usage.snapshot-interval=2s", "seatkeeper.usage.first-snapshot-after=1s",
			"seatkeeper.license.expiry-check-interval=2s" };

	private static String url;

	private static int portA;

	private static int portB;

	private static ConfigurableApplicationContext nodeA;

	private static NodeProcess nodeB;

	private static Nginx nginx;

	private static HikariDataSource database;

	private static JdbcTemplate jdbc;

	private static long scheduledFrom;

	/**
	 * An API token of the built-in administrator's: a bearer token costs no password
	 * hash.
	 */
	private static String token;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeAll
	static void startTwoNodesBehindNginx() {
		url = TestDatabase.newPostgresDatabase();
		portA = Nginx.freePort();
		portB = Nginx.freePort();
		// The jobs' schedules start with node A.
		scheduledFrom = System.nanoTime();
		nodeA = startNodeA();
		// The test's own connections: node A's pool closes when node A stops.
		database = new HikariDataSource();
		database.setJdbcUrl(url);
		database.setUsername("postgres");
		database.setPassword("postgres");
		database.setMaximumPoolSize(4);
		jdbc = new JdbcTemplate(database);
		nodeB = NodeProcess.start(url, "b", portB, SETTINGS);
		nginx = Nginx.start(List.of(portA, portB));
		token = nodeA.getBean(ApiTokens.class)
			.create("behind the proxy", Set.of(TokenScope.API_READ, TokenScope.API_WRITE), null, "admin")
			.token();
	}

	@AfterAll
	static void stopEverything() {
		if (nginx != null) {
			nginx.close();
		}
		if (nodeB != null) {
			nodeB.close();
		}
		if (nodeA != null) {
			nodeA.close();
		}
		if (database != null) {
			database.close();
		}
	}

	@Test
	@Order(1)
	void fiftyRequestsThroughTheProxyAlternateTheNodesAndStaySignedIn() throws Exception {
		Pools.reset(jdbc, 1000, 100);
		aProfile("petra");
		String session = signIn("petra", PASSWORD);

		List<String> upstreams = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			HttpResponse<String> home = get("/", session);
			assertThat(home.statusCode()).as("request %d", i).isEqualTo(200);
			assertThat(home.body()).as("request %d", i).contains("petra");
			upstreams.add(upstream(home));
		}

		assertThat(upstreams).containsOnly(node(portA), node(portB));
		assertThat(Collections.frequency(upstreams, node(portA))).isEqualTo(25);
		for (int i = 1; i < upstreams.size(); i++) {
			assertThat(upstreams.get(i)).as("request %d after %s", i, upstreams.get(i - 1))
				.isNotEqualTo(upstreams.get(i - 1));
		}
		assertThat(sessionRows("petra")).isEqualTo(1);
	}

	@Test
	@Order(2)
	void aBlockedProfileLosesItsSessionOnBothNodesAtItsNextRequest() throws Exception {
		ProfileView dora = aProfile("dora");
		String session = signIn("dora", PASSWORD);
		Set<String> signedInOn = Set.of(upstream(signedIn(get("/", session))), upstream(signedIn(get("/", session))));
		assertThat(signedInOn).containsOnly(node(portA), node(portB));

		HttpResponse<String> blocked = api("POST", "/api/v1/profiles/" + dora.id() + "/block", null, null);
		assertThat(blocked.statusCode()).as(blocked.body()).isEqualTo(200);

		Set<String> signedOutOn = new HashSet<>();
		for (int i = 0; i < 2; i++) {
			HttpResponse<String> next = get("/", session);
			assertThat(next.statusCode()).isEqualTo(302);
			assertThat(next.headers().firstValue("Location").orElseThrow()).startsWith(nginx.url() + "/login");
			signedOutOn.add(upstream(next));
		}
		assertThat(signedOutOn).containsOnly(node(portA), node(portB));
		await().atMost(Duration.ofSeconds(10)).until(() -> sessionRows("dora") == 0);
	}

	@Test
	@Order(3)
	void thirtyClientsAddingBlockingAndImportingThroughTheProxyNeverTakeAPoolPastItsMaximum() throws Exception {
		Pools.reset(jdbc, 40, 10);
		nodeA.getBean(AreaService.class).createExtranet("Partners", "admin");
		AtomicBoolean running = new AtomicBoolean(true);
		List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
		Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
		Set<String> nodesThatAnswered = ConcurrentHashMap.newKeySet();
		int[] highest = new int[2];
		ExecutorService threads = Executors.newFixedThreadPool(31);
		try {
			Future<?> watcher = threads.submit(() -> {
				while (running.get()) {
					for (Map<String, Object> pool : jdbc.queryForList(
							"select p.pool, p.active_count, p.max_users, (select count(*) from profile r where r.pool = p.pool "
									+ "and r.state = 'ACTIVE' and r.built_in = false) as active_rows from license_pool p")) {
						int slot = "PRIMARY".equals(pool.get("pool")) ? 0 : 1;
						int max = ((Number) pool.get("max_users")).intValue();
						int counter = ((Number) pool.get("active_count")).intValue();
						int rows = ((Number) pool.get("active_rows")).intValue();
						highest[slot] = Math.max(highest[slot], Math.max(counter, rows));
						if (counter > max || rows > max) {
							unexpected
								.add(pool.get("pool") + ": " + counter + " counted, " + rows + " rows, max " + max);
						}
					}
					Thread.sleep(20);
				}
				return null;
			});
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
			List<Future<?>> clients = new ArrayList<>();
			for (int c = 0; c < 30; c++) {
				int client = c;
				clients.add(threads.submit(() -> {
					List<Long> mine = new ArrayList<>();
					for (int step = 0; System.nanoTime() < deadline; step++) {
						HttpResponse<String> response = clientStep(client, step, mine);
						statuses.computeIfAbsent(response.statusCode(), (status) -> new AtomicInteger())
							.incrementAndGet();
						nodesThatAnswered.add(upstream(response));
						if (!Set.of(200, 201, 204, 409, 503).contains(response.statusCode())) {
							unexpected
								.add(response.statusCode() + " from " + upstream(response) + ": " + response.body());
						}
					}
					return null;
				}));
			}
			for (Future<?> client : clients) {
				client.get(120, TimeUnit.SECONDS);
			}
			running.set(false);
			watcher.get(30, TimeUnit.SECONDS);
		}
		finally {
			running.set(false);
			threads.shutdownNow();
		}

		assertThat(unexpected).isEmpty();
		System.out.println("Through the proxy: " + statuses);
		assertThat(nodesThatAnswered).containsOnly(node(portA), node(portB));
		// Profiles were added and blocked, and both pools were filled and refused: the
		// gate was tried at its limit.
		assertThat(statuses.get(201).get()).isGreaterThanOrEqualTo(50);
		assertThat(statuses.get(200).get()).isPositive();
		assertThat(statuses.get(409).get()).isPositive();
		assertThat(highest[0]).isEqualTo(40);
		assertThat(highest[1]).isEqualTo(10);
		assertThat(Pools.counter(jdbc, "PRIMARY")).isEqualTo(Pools.activeRows(jdbc, "PRIMARY"));
		assertThat(Pools.counter(jdbc, "EXTRANET")).isEqualTo(Pools.activeRows(jdbc, "EXTRANET"));
		assertThat(nodeA.getBean(LicenseService.class).countMismatches()).isEmpty();
	}

	@Test
	@Order(4)
	void aNodeStoppedGracefullyMidTrafficLosesNoRequestAndNoSession() throws Exception {
		Pools.reset(jdbc, 1000, 100);
		aProfile("olga");
		String session = signIn("olga", PASSWORD);
		AtomicBoolean running = new AtomicBoolean(true);
		List<String> lost = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger answered = new AtomicInteger();
		AtomicInteger passedOn = new AtomicInteger();
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> traffic = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				traffic.add(threads.submit(() -> {
					while (running.get()) {
						HttpResponse<String> home = get("/", session);
						answered.incrementAndGet();
						if (upstream(home).contains(",")) {
							passedOn.incrementAndGet();
						}
						if (home.statusCode() != 200 || !home.body().contains("olga")) {
							lost.add(home.statusCode() + " from " + upstream(home) + " "
									+ home.headers().firstValue("Location").orElse(""));
						}
					}
					return null;
				}));
			}
			Thread.sleep(2000);
			CompletableFuture<Void> stopping = CompletableFuture.runAsync(nodeA::close);
			stopping.get(90, TimeUnit.SECONDS);
			int atTheStop = answered.get();
			Thread.sleep(3000);
			running.set(false);
			for (Future<?> client : traffic) {
				client.get(60, TimeUnit.SECONDS);
			}
			assertThat(answered.get()).isGreaterThan(atTheStop);
		}
		finally {
			running.set(false);
			threads.shutdownNow();
		}

		assertThat(lost).isEmpty();
		// The proxy found node A gone and passed requests on to node B.
		assertThat(passedOn.get()).isPositive();
		HttpResponse<String> after = get("/", session);
		assertThat(after.statusCode()).isEqualTo(200);
		assertThat(upstream(after)).endsWith(node(portB));
		assertThat(sessionRows("olga")).isEqualTo(1);

		// Node A comes back on its port, and takes requests again.
		nodeA = startNodeA();
		await().atMost(Duration.ofSeconds(15))
			.until(() -> upstream(get("/actuator/health/readiness", null)).equals(node(portA)));
	}

	@Test
	@Order(5)
	void aNodeKilledMidImportLeavesTheImportFailedCleanlyAndShownOnTheOtherNode() throws Exception {
		Pools.reset(jdbc, 5000, 5);
		String admin = signIn("admin", Nodes.ADMIN_PASSWORD);
		StringBuilder csv = new StringBuilder("username,email,first_name,last_name,area\n");
		for (int i = 0; i < 500; i++) {
			csv.append(String.format("killed%03d,killed%03d@example.org,Kill,Node%d,%n", i, i, i));
		}
		try (Connection poolLock = DriverManager.getConnection(url, "postgres", "postgres")) {
			poolLock.setAutoCommit(false);
			try (Statement statement = poolLock.createStatement()) {
				statement.executeQuery("select * from license_pool where pool = 'PRIMARY' for update").close();
			}
			// Sent to node B itself, so that it is node B that runs it.
			CompletableFuture<HttpResponse<String>> importing = this.http.sendAsync(authorized(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + portB + "/api/v1/profiles/import?mode=all-or-nothing")))
				.header("Content-Type", "text/csv")
				.POST(HttpRequest.BodyPublishers.ofString(csv.toString()))
				.build(), HttpResponse.BodyHandlers.ofString());
			await().atMost(Duration.ofSeconds(30))
				.until(() -> jdbc.queryForObject(
						"select count(*) from import_job where status = 'RUNNING' and heartbeat_node <> ?",
						Integer.class, nodeA.getBean(JobHeartbeat.class).node()) == 1 && waitingForALock());
			String id = jdbc.queryForObject("select id from import_job where status = 'RUNNING'", String.class);

			nodeB.kill();

			// Its client hears that the connection broke.
			assertThat(importing).failsWithin(Duration.ofSeconds(30));
			poolLock.rollback();

			// Node A's reaper finds the job's heartbeat stopped and fails it.
			await().atMost(Duration.ofSeconds(30))
				.until(() -> "FAILED"
					.equals(jdbc.queryForObject("select status from import_job where id = ?", String.class, id)));
			assertThat(jdbc.queryForObject("select message from import_job where id = ?", String.class, id))
				.isEqualTo("import.failed.nodeStopped");
			HttpResponse<String> page = get("/admin/people/import/" + id, admin);
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.body()).contains("Nothing was imported: the node running the import stopped");
		}
		assertThat(jdbc.queryForObject("select count(*) from profile where username_key like 'killed%'", Integer.class))
			.isZero();
		assertThat(Pools.counter(jdbc, "PRIMARY")).isZero().isEqualTo(Pools.activeRows(jdbc, "PRIMARY"));
		assertThat(nodeA.getBean(LicenseService.class).countMismatches()).isEmpty();
	}

	@Test
	@Order(6)
	void eachScheduledJobRanOncePerIntervalAcrossTheNodes() {
		double seconds = (System.nanoTime() - scheduledFrom) / 1e9;
		for (String job : TWO_SECOND_JOBS) {
			Map<String, Object> run = jdbc.queryForMap("select runs, last_outcome from scheduled_job where name = ?",
					job);
			int runs = ((Number) run.get("runs")).intValue();
			// Each node fires it every 2 s; the lock is held for 1.8 s from a start, so
			// the nodes together run it at most once per 1.8 s (without it, twice per 2
			// s).
			assertThat(runs).as("%s in %.0f s", job, seconds)
				.isLessThanOrEqualTo((int) (seconds / 1.8) + 2)
				.isGreaterThanOrEqualTo((int) (seconds / 2 / 2));
			// Its last run succeeded, or is under way.
			assertThat(run.get("last_outcome")).as(job).isIn("SUCCEEDED", "RUNNING");
		}
	}

	private HttpResponse<String> clientStep(int client, int step, List<Long> mine) throws Exception {
		int kind = (client + step) % 10;
		if (kind == 9) {
			StringBuilder csv = new StringBuilder("username,email,first_name,last_name,area\n");
			for (int i = 0; i < 4; i++) {
				String name = String.format("i%02d-%04d-%d", client, step, i);
				csv.append(name).append(',').append(name).append("@example.org,Imported,Client,\n");
			}
			return this.http.send(authorized(request("/api/v1/profiles/import?mode=as-many-as-fit"))
				.header("Content-Type", "text/csv")
				.POST(HttpRequest.BodyPublishers.ofString(csv.toString()))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		if ((kind == 5 || kind == 6 || kind == 7) && !mine.isEmpty()) {
			long id = mine.get(ThreadLocalRandom.current().nextInt(mine.size()));
			return api("POST", "/api/v1/profiles/" + id + ((kind == 7) ? "/reinstate" : "/block"), null, null);
		}
		String name = String.format("c%02d-%04d", client, step);
		String area = (kind == 4) ? "\"Partners\"" : "null";
		HttpResponse<String> created = api("POST", "/api/v1/profiles", "application/json",
				"{\"username\":\"" + name + "\",\"email\":\"" + name + "@example.org\",\"firstName\":\"Client\","
						+ "\"lastName\":\"" + client + "\",\"area\":" + area + "}");
		if (created.statusCode() == 201) {
			mine.add(((Number) JsonPath.read(created.body(), "$.id")).longValue());
		}
		return created;
	}

	private static ConfigurableApplicationContext startNodeA() {
		List<String> settings = new ArrayList<>(List.of("--server.port=" + portA));
		for (String setting : SETTINGS) {
			settings.add("--" + setting);
		}
		return Nodes.start(url, "a", settings.toArray(String[]::new));
	}

	private static ProfileView aProfile(String username) {
		return nodeA.getBean(PeopleService.class).create(NewProfiles.aProfile(username, null, PASSWORD), "admin");
	}

	/**
	 * Signs in with the form through the proxy, as a browser does; returns the session
	 * cookie ({@code SESSION=…}).
	 */
	private String signIn(String username, String password) throws Exception {
		HttpResponse<String> form = get("/login", null);
		assertThat(form.statusCode()).isEqualTo(200);
		String cookie = sessionCookie(form);
		HttpResponse<String> signedIn = this.http.send(request("/login").header("Cookie", cookie)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=" + encode(username) + "&password=" + encode(password)
					+ "&_csrf=" + encode(csrf(form.body()))))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(signedIn.statusCode()).isEqualTo(302);
		assertThat(signedIn.headers().firstValue("Location").orElseThrow()).startsWith(nginx.url())
			.doesNotContain("login");
		return sessionCookie(signedIn);
	}

	private static HttpResponse<String> signedIn(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(200);
		return response;
	}

	private HttpResponse<String> get(String path, String cookie) throws Exception {
		HttpRequest.Builder request = request(path);
		if (cookie != null) {
			request.header("Cookie", cookie);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> api(String method, String path, String type, String body) throws Exception {
		HttpRequest.Builder request = authorized(request(path));
		if (type != null) {
			request.header("Content-Type", type);
		}
		request.method(method,
				(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(nginx.url() + path)).timeout(Duration.ofSeconds(60));
	}

	private static HttpRequest.Builder authorized(HttpRequest.Builder request) {
		return request.header("Authorization", "Bearer " + token);
	}

	private static boolean waitingForALock() {
		return jdbc.queryForObject(
				"select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()",
				Integer.class) > 0;
	}

	private static int sessionRows(String username) {
		return jdbc.queryForObject("select count(*) from spring_session where principal_name = ?", Integer.class,
				username);
	}

	/**
	 * The node (or nodes, the last the one that answered) nginx passed the request to.
	 */
	private static String upstream(HttpResponse<?> response) {
		return response.headers().firstValue(Nginx.UPSTREAM_HEADER).orElse("none");
	}

	private static String node(int port) {
		return "127.0.0.1:" + port;
	}

}
