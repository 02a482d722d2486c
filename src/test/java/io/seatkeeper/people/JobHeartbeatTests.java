package io.seatkeeper.people;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.jayway.jsonpath.JsonPath;
import com.zaxxer.hikari.HikariDataSource;
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
import org.awaitility.core.ConditionFactory;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.util.HtmlUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Jobs a dead node left behind: node A runs a job (a large CSV import, a directory sync)
 * that waits for the pool's row lock, which the test holds; node A stops the way a killed
 * node does (its heartbeat ends and its connections are cut, so PostgreSQL rolls its
 * transaction back); node B, on the same database, fails the job because its node
 * stopped. Runs in the PostgreSQL run of the database tests: it needs a database server
 * that two nodes share and that sees a node's connections go.
 */
@Tag("database")
@Tag("postgresql-only")
class JobHeartbeatTests {

	private static final String TIMEOUT = "2s";

	private static final TestDirectory directory = new TestDirectory();

	private static String url;

	private static ConfigurableApplicationContext nodeB;

	private static JdbcTemplate jdbc;

	private ConfigurableApplicationContext nodeA;

	private Connection poolLock;

	@BeforeAll
	static void startNodeB() {
		url = TestDatabase.newPostgresDatabase();
		nodeB = node("b");
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
	void startNodeA() {
		Pools.reset(jdbc, 5000, 5);
		jdbc.update("delete from import_job");
		jdbc.update("delete from directory_run");
		jdbc.update("update directory_lock set run_id = null, locked_at = null");
		directory.reset();
		this.nodeA = node("a");
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
	void failsTheImportOfANodeThatStoppedAndImportsNothingOfIt() throws Exception {
		StringBuilder csv = new StringBuilder("username,email,first_name,last_name,area\n");
		for (int i = 0; i < 3000; i++) {
			csv.append(String.format("dead%04d,dead%04d@example.org,Dead,Node%d,%n", i, i, i));
		}
		ImportService importsOnA = this.nodeA.getBean(ImportService.class);
		String id = importsOnA.upload("dead-node.csv", csv.toString().getBytes(), "admin").id();
		holdPoolLock();

		importsOnA.confirm(id, ImportMode.ALL_OR_NOTHING, "admin", Locale.ENGLISH);
		awaitWaitingForTheLock();
		// Alive: node A's heartbeat keeps the job running for longer than the timeout.
		Thread.sleep(Duration.parse("PT" + TIMEOUT).toMillis() + 1500);
		assertThat(importStatus(id)).isEqualTo("RUNNING");
		assertThat(jdbc.queryForObject("select heartbeat_node from import_job where id = ?", String.class, id))
			.isEqualTo(this.nodeA.getBean(JobHeartbeat.class).node());
		// Node B, which does not run it, shows node A's progress as node A's heartbeat
		// wrote it, although the import waits at the gate holding its job's row.
		ImportService importsOnB = nodeB.getBean(ImportService.class);
		int onA = importsOnA.progress(id);
		assertThat(onA).isPositive();
		eventually().until(() -> importsOnB.progress(id) == onA);
		Nodes.mvc(nodeB)
			.perform(asAdmin(get("/admin/people/import/{id}/progress", id)))
			.andExpect(status().isOk())
			.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
				.string(org.hamcrest.Matchers.containsString("data-percent=\"" + onA + "\"")));

		killNodeA();

		eventually().until(() -> "FAILED".equals(importStatus(id)));
		this.poolLock.rollback();
		assertThat(jdbc.queryForObject("select message from import_job where id = ?", String.class, id))
			.isEqualTo("import.failed.nodeStopped");
		assertThat(jdbc.queryForObject("select count(*) from profile where username_key like 'dead%'", Integer.class))
			.isZero();
		assertThat(Pools.counter(jdbc, "PRIMARY")).isZero().isEqualTo(Pools.activeRows(jdbc, "PRIMARY"));
		assertThat(nodeB.getBean(LicenseService.class).countMismatches()).isEmpty();
		MockMvc onB = Nodes.mvc(nodeB);
		String page = onB.perform(asAdmin(get("/admin/people/import/{id}", id)))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains(text("import.failed.nodeStopped"))
			.doesNotContain("import-progress")
			.doesNotContain("progress-bar");
		onB.perform(asAdmin(get("/admin/people/import/{id}/progress", id)))
			.andExpect(header().string("HX-Redirect", "/admin/people/import/" + id));
	}

	@Test
	void failsTheDirectoryRunOfANodeThatStoppedAndFreesTheSyncLock() throws Exception {
		for (int i = 0; i < 30; i++) {
			directory.addUser(TestDirectory.STAFF, String.format("staff%02d", i));
		}
		nodeB.getBean(AreaService.class).createExtranet("Partners", "admin");
		holdPoolLock();
		String started = Nodes.mvc(this.nodeA)
			.perform(asAdmin(post("/api/v1/directory/sync")))
			.andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String id = JsonPath.read(started, "$.id");
		awaitWaitingForTheLock();
		Thread.sleep(Duration.parse("PT" + TIMEOUT).toMillis() + 1500);
		assertThat(runState(id)).isEqualTo("RUNNING");
		assertThat(lockHolder()).isEqualTo(id);

		killNodeA();

		eventually().until(() -> "FAILED".equals(runState(id)));
		this.poolLock.rollback();
		assertThat(lockHolder()).isNull();
		MockMvc onB = Nodes.mvc(nodeB);
		String page = onB.perform(asAdmin(get("/admin/system/directory/runs/{id}", id)))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains(text("directory.run.nodeStopped"))
			.doesNotContain("run-progress")
			.doesNotContain("progress-bar");
		String json = onB.perform(asAdmin(get("/api/v1/directory/runs/{id}", id)))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(JsonPath.<String>read(json, "$.state")).isEqualTo("FAILED");
		assertThat(JsonPath.<String>read(json, "$.code")).isEqualTo("directory.run.nodeStopped");
		assertThat(JsonPath.<String>read(json, "$.message")).isEqualTo(text("directory.run.nodeStopped"));
		assertThat(jdbc.queryForObject(
				"select count(*) from audit_event where action = 'DIRECTORY_SYNC' and details like ?", Integer.class,
				"run=" + id + ", state=FAILED, reason=directory.run.nodeStopped%"))
			.isEqualTo(1);

		// The lock is free: the next run starts, on node B, and applies what node A did
		// not.
		String next = onB.perform(asAdmin(post("/api/v1/directory/sync")))
			.andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String nextId = JsonPath.read(next, "$.id");
		eventually().until(() -> "DONE".equals(runState(nextId)));
		assertThat(jdbc.queryForObject("select count(*) from profile where username_key like 'staff%'", Integer.class))
			.isEqualTo(30);
		assertThat(Pools.counter(jdbc, "PRIMARY")).isEqualTo(30).isEqualTo(Pools.activeRows(jdbc, "PRIMARY"));
		assertThat(lockHolder()).isNull();
	}

	/**
	 * Holds the Primary pool's row lock from a connection of the test's own, so that a
	 * job that reaches the licence gate waits.
	 */
	private void holdPoolLock() throws SQLException {
		this.poolLock = DriverManager.getConnection(url, "postgres", "postgres");
		this.poolLock.setAutoCommit(false);
		try (Statement statement = this.poolLock.createStatement()) {
			statement.executeQuery("select * from license_pool where pool = 'PRIMARY' for update").close();
		}
	}

	private void awaitWaitingForTheLock() {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> jdbc.queryForObject(
					"select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()",
					Integer.class) > 0);
	}

	/**
	 * Stops node A as a killed node stops: its heartbeat ends with it, and its pool cuts
	 * its connections, the one of the waiting job too, so PostgreSQL rolls the job's
	 * transaction back. Nothing in Seatkeeper marks a job when a node stops.
	 */
	private void killNodeA() {
		// As a killed node: its connections drop at once, so PostgreSQL rolls back what
		// they held, and it writes nothing more (not even the failure of its own import);
		// then it stops.
		this.nodeA.getBean(HikariDataSource.class).close();
		this.nodeA.close();
		this.nodeA = null;
	}

	/**
	 * Waits for node B; the threads of the stopped node A end with errors, as it has lost
	 * its database.
	 */
	private static ConditionFactory eventually() {
		return await().atMost(Duration.ofSeconds(20)).dontCatchUncaughtExceptions();
	}

	private static String importStatus(String id) {
		return jdbc.queryForObject("select status from import_job where id = ?", String.class, id);
	}

	private static String runState(String id) {
		return jdbc.queryForObject("select state from directory_run where id = ?", String.class, id);
	}

	private static String lockHolder() {
		return jdbc.queryForObject("select run_id from directory_lock where id = 1", String.class);
	}

	private static String text(String code) {
		return HtmlUtils.htmlEscape(nodeB.getBean(MessageSource.class).getMessage(code, null, Locale.ENGLISH));
	}

	private static MockHttpServletRequestBuilder asAdmin(MockHttpServletRequestBuilder request) {
		return request.with(user("admin").roles("SYSADMIN", "PEOPLE_ADMIN"));
	}

	private static ConfigurableApplicationContext node(String name) {
		List<String> settings = new ArrayList<>(List.of(directory.arguments()));
		settings.add("--seatkeeper.jobs.heartbeat-interval=200ms");
		settings.add("--seatkeeper.jobs.heartbeat-timeout=" + TIMEOUT);
		return Nodes.start(url, name, settings.toArray(String[]::new));
	}

}
