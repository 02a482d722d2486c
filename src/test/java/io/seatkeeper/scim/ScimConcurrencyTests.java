package io.seatkeeper.scim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.seatkeeper.Pools;
import io.seatkeeper.license.LicenseService;
import io.seatkeeper.tokens.ApiTokens;
import io.seatkeeper.tokens.TokenScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identity providers send many requests at once: 20 new users POSTed together into a pool
 * with 5 free licences make exactly 5 active profiles and 15 awaiting one, in distinct
 * places of the queue; the same user POSTed twice at once makes one profile and one 409
 * {@code uniqueness}; the counters always equal the rows. On H2 and PostgreSQL
 * ({@code when-full=queue}; {@link ScimRefuseTests} for {@code refuse}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "seatkeeper.scim.areas.Partners=" + ScimProviderTests.PARTNER_AREA)
@Tag("database")
class ScimConcurrencyTests {

	@LocalServerPort
	int port;

	@Autowired
	ApiTokens tokens;

	@Autowired
	LicenseService licenses;

	@Autowired
	JdbcTemplate jdbc;

	ScimClient client;

	@BeforeEach
	void fivePrimaryLicences() {
		Pools.reset(this.jdbc, 5, 0);
		this.jdbc.update("delete from scim_group");
		this.client = ScimClient.withNewToken(this.tokens, this.port, TokenScope.SCIM);
	}

	@AfterEach
	void countersEqualTheRows() {
		this.client.close();
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	@Test
	void twentyConcurrentCreatesIntoFiveFreeLicencesMakeFiveActiveAndQueueTheRest() throws Exception {
		List<ScimClient.Answer> answers = all(20, (i) -> this.client.send("POST", "/Users",
				ScimClient.userJson("user" + i + "@example.org", "ext-" + i)));

		assertThat(answers).extracting(ScimClient.Answer::status).containsOnly(201);
		assertThat(answers.stream().filter((answer) -> answer.json().path("active").asBoolean())).hasSize(5);
		List<ScimClient.Answer> queued = answers.stream()
			.filter((answer) -> !answer.json().path("active").asBoolean())
			.toList();
		assertThat(queued).allMatch((answer) -> answer.json()
			.path(ScimJson.SEATKEEPER)
			.path("licenseState")
			.asText()
			.equals("AWAITING_LICENSE") && answer.json().path(ScimJson.SEATKEEPER).path("position").asInt() >= 1);
		// Read again once every create is done: each awaits at its own place in the
		// queue.
		List<Integer> positions = queued.stream()
			.map((answer) -> this.client.send("GET", "/Users/" + answer.json().path("id").asText(), null))
			.map((answer) -> answer.json().path(ScimJson.SEATKEEPER).path("position").asInt())
			.sorted()
			.toList();
		assertThat(positions).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
		assertThat(Pools.activeRows(this.jdbc, "PRIMARY")).isEqualTo(5);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(5);
		assertThat(this.jdbc.queryForObject("select count(*) from profile where source = 'SCIM' and state = 'BLOCKED' "
				+ "and block_reason = 'AWAITING_LICENSE'", Integer.class))
			.isEqualTo(15);
	}

	@Test
	void theSameUserPostedTwiceAtOnceMakesOneProfileAndOneConflict() throws Exception {
		for (int round = 0; round < 5; round++) {
			String userName = "twice" + round + "@example.org";
			String externalId = "ext-twice-" + round;
			List<ScimClient.Answer> answers = all(2,
					(i) -> this.client.send("POST", "/Users", ScimClient.userJson(userName, externalId)));

			assertThat(answers).extracting(ScimClient.Answer::status).containsExactlyInAnyOrder(201, 409);
			ScimClient.Answer conflict = answers.stream().filter((answer) -> answer.status() == 409).findFirst().get();
			assertThat(conflict.scimType()).isEqualTo("uniqueness");
			assertThat(conflict.contentType()).startsWith("application/scim+json");
			assertThat(this.jdbc.queryForObject("select count(*) from profile where username_key = ?", Integer.class,
					userName))
				.isEqualTo(1);
		}
	}

	/**
	 * Runs {@code count} requests at once (released together) and waits for them all.
	 */
	static List<ScimClient.Answer> all(int count, Request request) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(count);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<ScimClient.Answer>> futures = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				int index = i;
				Callable<ScimClient.Answer> task = () -> {
					start.await();
					return request.send(index);
				};
				futures.add(pool.submit(task));
			}
			start.countDown();
			List<ScimClient.Answer> answers = new ArrayList<>();
			for (Future<ScimClient.Answer> future : futures) {
				answers.add(future.get(60, TimeUnit.SECONDS));
			}
			return answers;
		}
		finally {
			pool.shutdownNow();
		}
	}

	/**
	 * One of the concurrent requests.
	 */
	interface Request {

		ScimClient.Answer send(int index);

	}

}
