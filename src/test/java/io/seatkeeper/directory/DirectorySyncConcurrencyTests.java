package io.seatkeeper.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.seatkeeper.Pools;
import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.PeopleService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sync and a stream of single adds race for the last licences of the Primary pool: the
 * pool never passes its maximum, its counter equals its rows, and every profile the sync
 * created is either active or awaiting a licence. On H2 and on PostgreSQL.
 */
@SpringBootTest(properties = "spring.datasource.hikari.maximum-pool-size=12")
@Tag("database")
class DirectorySyncConcurrencyTests {

	private static final int MAX = 60;

	static final TestDirectory directory = new TestDirectory();

	@DynamicPropertySource
	static void directory(DynamicPropertyRegistry registry) {
		directory.register(registry);
		// Small chunks, so that the adds slip in between the sync's transactions.
		registry.add("seatkeeper.directory.chunk-size", () -> "5");
	}

	@AfterAll
	static void stopDirectory() {
		directory.shutDown();
	}

	@Autowired
	DirectorySync sync;

	@Autowired
	PeopleService people;

	@Autowired
	AreaService areas;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void reset() {
		Pools.reset(this.jdbc, MAX, 3);
		this.areas.createExtranet("Partners", "admin");
		TestDirectory.forgetRuns(this.jdbc);
		directory.reset();
	}

	@RepeatedTest(3)
	void aSyncAndSingleAddsRacingForTheLastLicensesNeverPassTheMaximum() throws Exception {
		for (int i = 0; i < 50; i++) {
			directory.addUser(TestDirectory.STAFF, "dir" + i);
		}
		for (int i = 0; i < 30; i++) {
			this.people.create(aProfile("early" + i), "admin");
		}
		AtomicBoolean syncing = new AtomicBoolean(true);
		AtomicInteger added = new AtomicInteger();
		ExecutorService threads = Executors.newFixedThreadPool(4);
		List<Future<?>> adders = new ArrayList<>();
		for (int t = 0; t < 3; t++) {
			int thread = t;
			adders.add(threads.submit(() -> {
				int i = 0;
				while (syncing.get() || i < 5) {
					try {
						this.people.create(aProfile("add" + thread + "x" + i), "admin");
						added.incrementAndGet();
					}
					catch (LicenseLimitExceeded refused) {
						// The pool is full: expected once the race is lost.
					}
					i++;
				}
				return null;
			}));
		}
		Future<DirectoryRunView> run = threads.submit(() -> {
			try {
				return this.sync.runNow("admin").orElseThrow();
			}
			finally {
				syncing.set(false);
			}
		});
		DirectoryRunView report = run.get(2, TimeUnit.MINUTES);
		for (Future<?> adder : adders) {
			adder.get(2, TimeUnit.MINUTES);
		}
		threads.shutdown();

		assertThat(report.state()).isEqualTo("DONE");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"))
			.isLessThanOrEqualTo(MAX);
		assertThat(Pools.activeRows(this.jdbc, "PRIMARY")).isEqualTo(MAX);
		assertThat(this.jdbc.queryForObject("select count(*) from profile where source = 'DIRECTORY'", Integer.class))
			.isEqualTo(50);
		assertThat(this.jdbc.queryForObject("select count(*) from profile where source = 'DIRECTORY' and not "
				+ "(state = 'ACTIVE' or block_reason = 'AWAITING_LICENSE')", Integer.class))
			.isZero();
		assertThat(report.createdActive() + report.createdAwaiting()).isEqualTo(50);
		assertThat(30 + added.get() + report.createdActive()).isEqualTo(MAX);
	}

}
