package io.seatkeeper.people;

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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import io.seatkeeper.Nodes;
import io.seatkeeper.Pools;
import io.seatkeeper.TestDatabase;
import io.seatkeeper.directory.TestDirectory;
import io.seatkeeper.license.LicenseService;
import io.seatkeeper.people.jobs.JobHeartbeat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A node told to stop (its context closed, as SIGTERM does) while it runs an import or a
 * directory sync: its readiness says {@code OUT_OF_SERVICE} at once, a job that ends
 * within the grace period ends normally, and one that does not is marked failed by the
 * stopping node itself (nothing of an import kept, the sync lock given back), so that
 * another node can start it again at once, without waiting for the heartbeat timeout. The
 * jobs wait at the licence gate, whose row lock the test holds.
 */
@Tag("database")
@Tag("postgresql-only")
class GracefulShutdownTests {

	private static final TestDirectory directory = new TestDirectory();

	private static String url;

	private static ConfigurableApplicationContext nodeB;

	private static JdbcTemplate jdbc;

	private final HttpClient http = HttpClient.newHttpClient();

	private ConfigurableApplicationContext nodeA;

	private Connection poolLock;

	@BeforeAll
	static void startNodeB() {
		url = TestDatabase.newPostgresDatabase();
		nodeB = node("b", "1s");
		jdbc = nodeB.getBean(JdbcTemplate.class);
	}

	@AfterAll
	static void stopNodeB() {
		if (nodeB != null) {
			nodeB.close();
		}
		directory.shutDown();
	}

	@BeforeEach
	void startFromKnownState() {
		Pools.reset(jdbc, 5000, 5);
		jdbc.update("delete from import_job");
		jdbc.update("delete from directory_run");
		jdbc.update("update directory_lock set run_id = null, locked_at = null");
		directory.reset();
	}

	@AfterEach
	void releaseEverything() throws SQLException {
		if (this.poolLock != null) {
			this.poolLock.close();
		}
		if (this.nodeA != null) {
			this.nodeA.close();
		}
	}

	@Test
	void anImportStillRunningAfterTheGracePeriodIsFailedByItsNodeAndImportsNothing() throws Exception {
		this.nodeA = node("a", "1s");
		ImportService importsOnA = this.nodeA.getBean(ImportService.class);
		String id = importsOnA.upload("stopping.csv", csv("stop", 2000), "admin").id();
		holdPoolLock();
		importsOnA.confirm(id, ImportMode.ALL_OR_NOTHING, "admin", Locale.ENGLISH);
		awaitWaitingForTheLock();
		String nodeName = this.nodeA.getBean(JobHeartbeat.class).node();
		assertThat(readiness(this.nodeA).statusCode()).isEqualTo(200);
		int port = port(this.nodeA);

		CompletableFuture<Void> stopping = CompletableFuture.runAsync(this.nodeA::close);
		// Not ready from the start of the shutdown, while it still answers (the drain
		// delay).
		await().atMost(Duration.ofSeconds(5)).until(() -> readinessStatus(port) == 503);
		assertThat(readiness(port).body()).contains("OUT_OF_SERVICE");
		stopping.get(60, TimeUnit.SECONDS);
		this.nodeA = null;

		// Failed by node A as it stopped: node B's heartbeat timeout (60 s) is far off.
		assertThat(jdbc.queryForMap("select status, message, heartbeat_node from import_job where id = ?", id))
			.containsEntry("status", "FAILED")
			.containsEntry("message", "import.failed.nodeStopped")
			.containsEntry("heartbeat_node", nodeName);
		this.poolLock.rollback();
		assertThat(jdbc.queryForObject("select count(*) from profile where username_key like 'stop%'", Integer.class))
			.isZero();
		assertThat(Pools.counter(jdbc, "PRIMARY")).isZero().isEqualTo(Pools.activeRows(jdbc, "PRIMARY"));
		assertThat(nodeB.getBean(LicenseService.class).countMismatches()).isEmpty();

		// Started again on node B: the same file imports whole.
		ImportService importsOnB = nodeB.getBean(ImportService.class);
		String again = importsOnB.upload("stopping.csv", csv("stop", 2000), "admin").id();
		importsOnB.confirm(again, ImportMode.ALL_OR_NOTHING, "admin", Locale.ENGLISH);
		await().atMost(Duration.ofSeconds(60)).until(() -> "DONE".equals(importStatus(again)));
		assertThat(Pools.counter(jdbc, "PRIMARY")).isEqualTo(2000).isEqualTo(Pools.activeRows(jdbc, "PRIMARY"));
	}

	@Test
	void anImportThatEndsWithinTheGracePeriodIsImported() throws Exception {
		this.nodeA = node("a", "30s");
		ImportService importsOnA = this.nodeA.getBean(ImportService.class);
		String id = importsOnA.upload("finishing.csv", csv("finish", 500), "admin").id();
		holdPoolLock();
		importsOnA.confirm(id, ImportMode.ALL_OR_NOTHING, "admin", Locale.ENGLISH);
		awaitWaitingForTheLock();

		CompletableFuture<Void> stopping = CompletableFuture.runAsync(this.nodeA::close);
		Thread.sleep(1500);
		assertThat(stopping).isNotDone();
		this.poolLock.rollback();
		stopping.get(60, TimeUnit.SECONDS);
		this.nodeA = null;

		assertThat(importStatus(id)).isEqualTo("DONE");
		assertThat(Pools.counter(jdbc, "PRIMARY")).isEqualTo(500).isEqualTo(Pools.activeRows(jdbc, "PRIMARY"));
	}

	@Test
	void aDirectoryRunStillRunningAfterTheGracePeriodIsFailedByItsNodeAndFreesTheSyncLock() throws Exception {
		for (int i = 0; i < 20; i++) {
			directory.addUser(TestDirectory.STAFF, String.format("leaver%02d", i));
		}
		// The test directory's area mapping names it.
		nodeB.getBean(AreaService.class).createExtranet("Partners", "admin");
		this.nodeA = node("a", "1s");
		holdPoolLock();
		String started = Nodes.mvc(this.nodeA)
			.perform(asAdmin(post("/api/v1/directory/sync")))
			.andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String id = JsonPath.read(started, "$.id");
		awaitWaitingForTheLock();

		this.nodeA.close();
		this.nodeA = null;

		assertThat(jdbc.queryForMap("select state, message from directory_run where id = ?", id))
			.containsEntry("state", "FAILED")
			.containsEntry("message", "directory.run.nodeStopped");
		assertThat(jdbc.queryForObject("select run_id from directory_lock where id = 1", String.class)).isNull();
		this.poolLock.rollback();

		// A sysadmin starts it again on node B at once.
		String next = Nodes.mvc(nodeB)
			.perform(asAdmin(post("/api/v1/directory/sync")))
			.andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String nextId = JsonPath.read(next, "$.id");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> "DONE"
				.equals(jdbc.queryForObject("select state from directory_run where id = ?", String.class, nextId)));
		assertThat(jdbc.queryForObject("select count(*) from profile where username_key like 'leaver%'", Integer.class))
			.isEqualTo(20);
		assertThat(Pools.counter(jdbc, "PRIMARY")).isEqualTo(Pools.activeRows(jdbc, "PRIMARY"));
	}

	private static byte[] csv(String prefix, int rows) {
		StringBuilder csv = new StringBuilder("username,email,first_name,last_name,area\n");
		for (int i = 0; i < rows; i++) {
			csv.append(String.format("%s%04d,%s%04d@example.org,Stop,Node%d,%n", prefix, i, prefix, i, i));
		}
		return csv.toString().getBytes();
	}

	private void holdPoolLock() throws SQLException {
		this.poolLock = DriverManager.getConnection(url, "postgres", "postgres");
		this.poolLock.setAutoCommit(false);
		try (Statement statement = this.poolLock.createStatement()) {
			statement.executeQuery("select * from license_pool where pool = 'PRIMARY' for update").close();
		}
	}

	private static void awaitWaitingForTheLock() {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> jdbc.queryForObject(
					"select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()",
					Integer.class) > 0);
	}

	private static String importStatus(String id) {
		return jdbc.queryForObject("select status from import_job where id = ?", String.class, id);
	}

	private HttpResponse<String> readiness(ConfigurableApplicationContext node) throws Exception {
		return readiness(port(node));
	}

	private HttpResponse<String> readiness(int port) throws Exception {
		return this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness")).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private int readinessStatus(int port) {
		try {
			return readiness(port).statusCode();
		}
		catch (Exception ex) {
			return -1;
		}
	}

	private static int port(ConfigurableApplicationContext node) {
		return Integer.parseInt(node.getEnvironment().getProperty("local.server.port"));
	}

	private static MockHttpServletRequestBuilder asAdmin(MockHttpServletRequestBuilder request) {
		return request.with(user("admin").roles("SYSADMIN", "PEOPLE_ADMIN"));
	}

	private static ConfigurableApplicationContext node(String name, String grace) {
		List<String> settings = new ArrayList<>(List.of(directory.arguments()));
		settings.add("--seatkeeper.jobs.shutdown-grace=" + grace);
		settings.add("--seatkeeper.shutdown.drain-delay=2s");
		return Nodes.start(url, name, settings.toArray(String[]::new));
	}

}
