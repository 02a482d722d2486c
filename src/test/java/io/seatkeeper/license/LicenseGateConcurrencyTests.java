package io.seatkeeper.license;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.seatkeeper.Pools;
import io.seatkeeper.TestDatabase;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.AreaView;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate under concurrency (R4), on H2 and on PostgreSQL: many threads race for the
 * last licences and the pool never goes past its maximum.
 */
@SpringBootTest(properties = "spring.datasource.hikari.maximum-pool-size=16")
@Tag("database")
class LicenseGateConcurrencyTests {

	@Autowired
	PeopleService people;

	@Autowired
	AreaService areas;

	@Autowired
	LicenseService licenses;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void emptyPools() {
		Pools.reset(this.jdbc, 10, 100);
	}

	@Test
	void sixtyFourConcurrentAddsTakeExactlyTheTenFreeLicenses() throws Exception {
		List<Callable<Boolean>> attempts = new ArrayList<>();
		for (int i = 0; i < 64; i++) {
			String username = "racer" + i;
			attempts.add(() -> this.people.create(aProfile(username, null), "admin").active());
		}

		Outcome outcome = race(attempts);

		report("64 concurrent adds, 10 free", outcome);
		assertThat(outcome.successes()).isEqualTo(10);
		assertThat(outcome.refusals()).isEqualTo(54);
		assertThat(outcome.errors()).isEmpty();
		assertThat(Pools.activeRows(this.jdbc, "PRIMARY")).isEqualTo(10);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(10);
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	@Test
	void concurrentAddsReinstatementsAndMovesInNeverPassTheMaximum() throws Exception {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		for (int i = 0; i < 5; i++) {
			this.people.create(aProfile("settled" + i, null), "admin");
		}
		List<Long> blocked = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			ProfileView profile = this.people.create(aProfile("returning" + i, partners.id()), "admin");
			this.people.move(profile.id(), this.areas.findByName("").orElseThrow().id(), "admin");
			blocked.add(this.people.block(profile.id(), "admin").id());
		}
		List<Long> extranet = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			extranet.add(this.people.create(aProfile("mover" + i, partners.id()), "admin").id());
		}
		long primary = this.areas.findByName("").orElseThrow().id();
		List<Callable<Boolean>> attempts = new ArrayList<>();
		for (int i = 0; i < 24; i++) {
			String username = "newcomer" + i;
			attempts.add(() -> this.people.create(aProfile(username, null), "admin").active());
		}
		blocked.forEach((id) -> attempts.add(() -> this.people.reinstate(id, "admin").active()));
		extranet.forEach((id) -> attempts.add(() -> this.people.move(id, primary, "admin").pool() == Pool.PRIMARY));

		Outcome outcome = race(attempts);

		report("64 concurrent adds, reinstatements and moves in, 5 free", outcome);
		assertThat(outcome.successes()).isEqualTo(5);
		assertThat(outcome.refusals()).isEqualTo(59);
		assertThat(outcome.errors()).isEmpty();
		assertThat(Pools.activeRows(this.jdbc, "PRIMARY")).isEqualTo(10);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(10);
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(Pools.activeRows(this.jdbc, "EXTRANET"));
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	/**
	 * Starts every attempt at the same moment and sorts the outcomes.
	 */
	static Outcome race(List<Callable<Boolean>> attempts) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(attempts.size());
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Boolean>> futures = new ArrayList<>();
		for (Callable<Boolean> attempt : attempts) {
			futures.add(pool.submit(() -> {
				start.await();
				return attempt.call();
			}));
		}
		start.countDown();
		int successes = 0;
		int refusals = 0;
		List<Throwable> errors = new ArrayList<>();
		for (Future<Boolean> future : futures) {
			try {
				if (future.get(120, TimeUnit.SECONDS)) {
					successes++;
				}
				else {
					errors.add(new AssertionError("An attempt returned without making its profile active"));
				}
			}
			catch (java.util.concurrent.ExecutionException ex) {
				if (ex.getCause() instanceof LicenseLimitExceeded) {
					refusals++;
				}
				else {
					errors.add(ex.getCause());
				}
			}
		}
		pool.shutdownNow();
		return new Outcome(attempts.size(), successes, refusals, errors);
	}

	static void report(String scenario, Outcome outcome) {
		System.out.printf("CONCURRENCY [%s] %s: %d attempts, %d successes, %d refusals, %d errors%n",
				TestDatabase.postgresql() ? "postgresql" : "h2", scenario, outcome.attempts(), outcome.successes(),
				outcome.refusals(), outcome.errors().size());
	}

	record Outcome(int attempts, int successes, int refusals, List<Throwable> errors) {
	}

}
