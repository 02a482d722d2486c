package io.seatkeeper.directory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.seatkeeper.Nodes;
import io.seatkeeper.Pools;
import io.seatkeeper.TestDatabase;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "Activate as soon as a licence is free" survives a node that stops between the commit
 * of a block and its listener: the publication stays incomplete in the registry, and the
 * next node to start on the same database does the work, once. On H2 and on PostgreSQL.
 */
@Tag("database")
class FreedLicensesRestartTests {

	static final TestDirectory directory = new TestDirectory();

	final Map<String, Object> database = sharedDatabase();

	final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	@AfterEach
	void stopNodes() {
		this.nodes.forEach(ConfigurableApplicationContext::close);
	}

	@AfterAll
	static void stopDirectory() {
		directory.shutDown();
	}

	@Test
	void aBlockWhoseListenerNeverRanActivatesTheOldestAwaitingAtTheNextStartOnce() {
		ConfigurableApplicationContext first = node("one");
		JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
		Pools.reset(jdbc, 2, 1);
		first.getBean(AreaService.class).createExtranet("Partners", "admin");
		directory.addUser(TestDirectory.STAFF, "seat0");
		directory.addUser(TestDirectory.STAFF, "seat1");
		sync(first);
		directory.addUser(TestDirectory.STAFF, "oldest");
		sync(first);
		directory.addUser(TestDirectory.STAFF, "youngest");
		sync(first);
		assertThat(profile(first, "oldest").awaiting()).isTrue();
		assertThat(incompletePublications(jdbc)).isZero();
		// The node goes down after the commit and before its listener runs: its async
		// executor takes no more work.
		first.getBean("applicationTaskExecutor", ThreadPoolTaskExecutor.class).shutdown();

		PeopleService people = first.getBean(PeopleService.class);
		people.block(profile(first, "seat0").id(), "admin");

		assertThat(profile(first, "seat0").active()).isFalse();
		assertThat(profile(first, "oldest").awaiting()).isTrue();
		first.close();
		JdbcTemplate database = database();
		assertThat(incompletePublications(database)).isEqualTo(1);
		assertThat(Pools.counter(database, "PRIMARY")).isEqualTo(1);

		ConfigurableApplicationContext second = node("two");

		await().atMost(Duration.ofSeconds(30)).until(() -> incompletePublications(database) == 0);
		assertThat(profile(second, "oldest").active()).isTrue();
		assertThat(profile(second, "youngest").awaiting()).isTrue();
		assertThat(Pools.counter(database, "PRIMARY")).isEqualTo(2).isEqualTo(Pools.activeRows(database, "PRIMARY"));
		assertThat(database.queryForObject(
				"select count(*) from audit_event where action = 'PROFILE_REINSTATED' and subject = 'oldest'",
				Integer.class))
			.isEqualTo(1);
		assertThat(database.queryForObject("select count(*) from audit_event where action = 'PROFILE_REINSTATED'",
				Integer.class))
			.isEqualTo(1);
		// Completed publications are deleted (completion-mode: delete).
		assertThat(database.queryForObject("select count(*) from event_publication", Integer.class)).isZero();
	}

	private ConfigurableApplicationContext node(String name) {
		List<String> settings = new ArrayList<>(List.of(directory.arguments()));
		settings.add("--seatkeeper.directory.activate-when-free=true");
		ConfigurableApplicationContext node = Nodes.start(this.database, name, settings.toArray(String[]::new));
		this.nodes.add(node);
		return node;
	}

	/**
	 * A new database for the two nodes: on H2 a file, as the application keeps by
	 * default, which closes with the first node and opens again with the second, as
	 * across a restart. (An in-memory database would outlive the first node's
	 * connections, and H2 2.4.240 then fails every {@code check (… in …)} created by a
	 * closed session: h2database issue 4302.)
	 */
	private static Map<String, Object> sharedDatabase() {
		if (TestDatabase.postgresql()) {
			return TestDatabase.newDatabaseProperties();
		}
		return Map.of("spring.datasource.url",
				"jdbc:h2:file:./target/restart/seatkeeper-" + UUID.randomUUID() + ";LOCK_TIMEOUT=10000",
				"spring.datasource.username", "sa", "spring.datasource.password", "");
	}

	private JdbcTemplate database() {
		return new JdbcTemplate(new DriverManagerDataSource((String) this.database.get("spring.datasource.url"),
				(String) this.database.get("spring.datasource.username"),
				(String) this.database.get("spring.datasource.password")));
	}

	private static void sync(ConfigurableApplicationContext node) {
		assertThat(node.getBean(DirectorySync.class).runNow("admin").orElseThrow().state()).isEqualTo("DONE");
	}

	private static ProfileView profile(ConfigurableApplicationContext node, String username) {
		return node.getBean(PeopleService.class)
			.findByUsername(username)
			.orElseThrow(() -> new AssertionError("No profile " + username));
	}

	/**
	 * The directory's listener's publications not yet completed (SCIM's queue hears the
	 * same fact, with a publication of its own).
	 */
	private static int incompletePublications(JdbcTemplate jdbc) {
		return jdbc.queryForObject(
				"select count(*) from event_publication where completion_date is null " + "and listener_id like ?",
				Integer.class, "%" + FreedLicenses.class.getName() + "%");
	}

}
