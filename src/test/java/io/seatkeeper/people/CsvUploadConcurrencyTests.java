package io.seatkeeper.people;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.jayway.jsonpath.JsonPath;
import io.seatkeeper.Pools;
import io.seatkeeper.TestDatabase;
import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.license.LicenseService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.RepeatedTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Uploads through the API and single adds race for the last licences of the Primary pool
 * (R4, R6): the pool never passes its maximum, its counter equals its rows, and every
 * licence taken is accounted for by a report or an add. On H2 and on PostgreSQL.
 */
@SpringBootTest(properties = { "seatkeeper.admin.password=" + CsvUploadConcurrencyTests.ADMIN_PASSWORD,
		"spring.datasource.hikari.maximum-pool-size=16" })
@AutoConfigureMockMvc
@Tag("database")
class CsvUploadConcurrencyTests {

	static final String ADMIN_PASSWORD = "built-in-secret-1";

	private static final int FREE = 10;

	@Autowired
	MockMvc mvc;

	@Autowired
	PeopleService people;

	@Autowired
	LicenseService licenses;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void emptyPools() {
		Pools.reset(this.jdbc, FREE, 5);
		this.jdbc.update("delete from import_job");
	}

	@RepeatedTest(3)
	void uploadsAndSingleAddsRacingForTheLastLicensesTakeExactlyTheFreeOnes() throws Exception {
		warmUp();
		List<Callable<Attempt>> attempts = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			attempts.add(upload("fit" + i, 5, "as-many-as-fit"));
		}
		for (int i = 0; i < 2; i++) {
			attempts.add(upload("all" + i, 3, "all-or-nothing"));
		}
		for (int i = 0; i < 8; i++) {
			attempts.add(singleAdd("single" + i));
		}

		AtomicBoolean racing = new AtomicBoolean(true);
		AtomicInteger mostActive = new AtomicInteger();
		Thread watcher = new Thread(() -> {
			while (racing.get()) {
				mostActive.accumulateAndGet(Pools.activeRows(this.jdbc, "PRIMARY"), Math::max);
				LockSupport.parkNanos(2_000_000);
			}
		});
		watcher.start();
		List<Attempt> outcomes;
		try {
			outcomes = race(attempts);
		}
		finally {
			racing.set(false);
			watcher.join();
		}

		int created = outcomes.stream().mapToInt(Attempt::created).sum();
		System.out.printf("CONCURRENCY [%s] 6 uploads and 8 single adds, %d free: %s%n",
				TestDatabase.postgresql() ? "postgresql" : "h2", FREE, outcomes);
		assertThat(outcomes).hasSize(attempts.size()).allSatisfy((attempt) -> assertThat(attempt.error()).isNull());
		// The demand (4 × 5 + 2 × 3 + 8) exceeds the supply, and an as-many-as-fit upload
		// that runs last takes whatever is left: every free licence is taken, once.
		assertThat(created).isEqualTo(FREE);
		assertThat(mostActive.get()).as("the most active profiles seen during the race").isLessThanOrEqualTo(FREE);
		assertThat(Pools.activeRows(this.jdbc, "PRIMARY")).isEqualTo(FREE);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(FREE);
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isZero();
		assertThat(this.licenses.countMismatches()).isEmpty();
		// An all-or-nothing upload took all its rows or none.
		assertThat(outcomes).filteredOn((attempt) -> attempt.name().startsWith("all"))
			.allSatisfy((attempt) -> assertThat(attempt.created()).isIn(0, 3));
		// Each report's created rows are the rows in the database, in file order.
		for (Attempt attempt : outcomes) {
			assertThat(this.jdbc.queryForList("select username from profile where username like ? order by id",
					String.class, attempt.name() + "-%"))
				.as(attempt.name())
				.hasSize(attempt.created())
				.containsExactlyElementsOf(attempt.createdUsernames());
		}
		assertThat(this.jdbc.queryForObject("select count(*) from import_job where status = 'RUNNING'", Integer.class))
			.isZero();
	}

	/**
	 * A dry run first, so that the uploads reach the gate as soon as the single adds do,
	 * not after the first request's warm-up.
	 */
	private void warmUp() throws Exception {
		this.mvc
			.perform(post("/api/v1/profiles/import").param("dryRun", "true")
				.with(user("admin").roles("PEOPLE_ADMIN"))
				.contentType("text/csv")
				.content("username,email\nwarm,warm@example.org\n"))
			.andExpect(status().isOk());
	}

	private Callable<Attempt> upload(String name, int rows, String mode) {
		StringBuilder csv = new StringBuilder("username,email,first_name,last_name\n");
		List<String> usernames = new ArrayList<>();
		for (int i = 0; i < rows; i++) {
			String username = name + "-" + i;
			usernames.add(username);
			csv.append(username).append(',').append(username).append("@example.org,Racing,Upload\n");
		}
		byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
		return () -> {
			MockHttpServletResponse response = this.mvc
				.perform(post("/api/v1/profiles/import").param("mode", mode)
					.with(user("admin").roles("PEOPLE_ADMIN"))
					.contentType("text/csv")
					.content(body))
				.andReturn()
				.getResponse();
			String json = response.getContentAsString(StandardCharsets.UTF_8);
			if (response.getStatus() == 409 && mode.equals("all-or-nothing")) {
				return new Attempt(name, 0, List.of(), null);
			}
			if (response.getStatus() != 201) {
				return new Attempt(name, 0, List.of(), "HTTP " + response.getStatus() + ": " + json);
			}
			int created = ((Number) JsonPath.read(json, "$.counts.created")).intValue();
			List<String> createdUsernames = JsonPath.read(json, "$.rows[?(@.outcome == 'CREATED')].username");
			List<String> refused = JsonPath.read(json, "$.rows[?(@.outcome == 'REFUSED')].username");
			if (createdUsernames.size() != created || created + refused.size() != rows
					|| !usernames.subList(0, created).equals(createdUsernames)) {
				return new Attempt(name, created, createdUsernames, "an inconsistent report: " + json);
			}
			return new Attempt(name, created, createdUsernames, null);
		};
	}

	private Callable<Attempt> singleAdd(String name) {
		String username = name + "-0";
		return () -> {
			try {
				this.people.create(aProfile(username), "admin");
				return new Attempt(name, 1, List.of(username), null);
			}
			catch (LicenseLimitExceeded refusal) {
				return new Attempt(name, 0, List.of(), null);
			}
		};
	}

	/**
	 * Starts every attempt at the same moment and waits for all of them.
	 */
	private static List<Attempt> race(List<Callable<Attempt>> attempts) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(attempts.size());
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Attempt>> futures = new ArrayList<>();
		for (Callable<Attempt> attempt : attempts) {
			futures.add(threads.submit(() -> {
				start.await();
				return attempt.call();
			}));
		}
		start.countDown();
		List<Attempt> outcomes = new ArrayList<>();
		try {
			for (Future<Attempt> future : futures) {
				try {
					outcomes.add(future.get(120, TimeUnit.SECONDS));
				}
				catch (ExecutionException ex) {
					outcomes.add(new Attempt("?", 0, List.of(), String.valueOf(ex.getCause())));
				}
			}
		}
		finally {
			threads.shutdownNow();
		}
		return outcomes;
	}

	/**
	 * What one racer got: the profiles it created, and an error when it failed otherwise
	 * than by a licence refusal.
	 */
	record Attempt(String name, int created, List<String> createdUsernames, String error) {

		@Override
		public String toString() {
			return this.name + "=" + ((this.error != null) ? this.error : this.created);
		}

	}

}
