package io.seatkeeper.people;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.servlet.http.Cookie;

import io.seatkeeper.Pools;
import io.seatkeeper.license.LicenseService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A profile blocked as dormant comes back by signing in (R19): through the gate when its
 * pool has a licence free, otherwise it awaits one from the sign-in on, and the sign-in
 * shows its place in its pool's queue (every path's awaiting profiles, oldest first).
 * Returns that race for one licence never take the pool past its maximum.
 */
@SpringBootTest
@AutoConfigureMockMvc
@Tag("database")
class DormantReturnTests {

	static final String PASSWORD = "a-long-enough-password";

	@Autowired
	MockMvc mvc;

	@Autowired
	PeopleService people;

	@Autowired
	DormantSignIn dormant;

	@Autowired
	LicenseService licenses;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void emptyPools() {
		Pools.reset(this.jdbc, 3, 5);
		this.jdbc.update("delete from audit_event");
	}

	@AfterEach
	void countersEqualTheRows() {
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	@Test
	void dormantProfileSigningInWithAFreeLicenseIsActiveAgain() throws Exception {
		long alice = withPassword("alice");
		makeDormant(alice);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();

		MvcResult result = this.mvc.perform(formLogin().user("alice").password(PASSWORD))
			.andExpect(redirectedUrl("/"))
			.andReturn();

		// The session is Spring Session's, in the database: its cookie carries it.
		this.mvc.perform(get("/").cookie(result.getResponse().getCookie("SESSION"))).andExpect(status().isOk());
		ProfileView back = this.people.get(alice);
		assertThat(back.active()).isTrue();
		assertThat(back.lastSignInAt()).isAfter(Instant.now().minusSeconds(60));
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'PROFILE_REINSTATED' and subject = 'alice'",
				Integer.class))
			.isEqualTo(1);
	}

	@Test
	void dormantProfileSigningInWithTheWrongPasswordStaysDormant() throws Exception {
		long alice = withPassword("alice");
		makeDormant(alice);

		this.mvc.perform(formLogin().user("alice").password("not-the-password"))
			.andExpect(redirectedUrl("/login?error"));

		assertThat(this.people.get(alice).blockReason()).isEqualTo(BlockReason.DORMANT);
	}

	@Test
	void dormantProfileSigningInWhileThePoolIsFullAwaitsALicenseAndSeesItsPlace() throws Exception {
		long alice = withPassword("alice");
		makeDormant(alice);
		// One already waits, from the directory, since an hour ago: alice comes after it.
		long waiting = this.people.create(aProfile("from.directory"), "admin").id();
		this.people.block(waiting, "admin");
		this.jdbc.update(
				"update profile set source = 'DIRECTORY', block_reason = 'AWAITING_LICENSE', "
						+ "awaiting_since = ? where id = ?",
				Timestamp.from(Instant.now().minus(Duration.ofHours(1))), waiting);
		this.people.create(aProfile("bob"), "admin");
		this.people.create(aProfile("carol"), "admin");
		this.people.create(aProfile("dave"), "admin");

		MvcResult result = this.mvc.perform(formLogin().user("alice").password(PASSWORD))
			.andExpect(redirectedUrl("/login/awaiting"))
			.andReturn();

		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'SIGN_IN_REFUSED' and subject = 'alice'",
				Integer.class))
			.isEqualTo(1);
		ProfileView queued = this.people.get(alice);
		assertThat(queued.blockReason()).isEqualTo(BlockReason.AWAITING_LICENSE);
		assertThat(queued.awaitingSince()).isAfter(Instant.now().minusSeconds(60));
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(3);
		Cookie session = result.getResponse().getCookie("SESSION");
		this.mvc.perform(get("/login/awaiting").cookie(session))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("You are number 2 in the queue.")))
			.andExpect(content().string(containsString("Primary pool (Max_Users)")));
		this.mvc.perform(get("/").cookie(session)).andExpect(redirectedUrl("/login"));

		// Signing in again while it waits shows the page again, at the same place.
		this.mvc.perform(formLogin().user("alice").password(PASSWORD)).andExpect(redirectedUrl("/login/awaiting"));
		assertThat(this.dormant.place("alice").orElseThrow().position()).isEqualTo(2);

		// Once a licence is free and the queue moves, the page says to sign in again.
		this.people.block(this.people.findByUsername("bob").orElseThrow().id(), "admin");
		this.people.reinstate(alice, "admin");
		this.mvc.perform(get("/login/awaiting").cookie(session))
			.andExpect(content().string(containsString("no longer waits for a licence")));
	}

	@Test
	void dormantProfileSigningInNeverOvertakesThoseAlreadyWaiting() throws Exception {
		long alice = withPassword("alice");
		makeDormant(alice);
		long waiting = this.people.create(aProfile("from.directory"), "admin").id();
		this.people.block(waiting, "admin");
		this.jdbc.update(
				"update profile set source = 'DIRECTORY', block_reason = 'AWAITING_LICENSE', "
						+ "awaiting_since = ? where id = ?",
				Timestamp.from(Instant.now().minus(Duration.ofHours(1))), waiting);
		this.people.create(aProfile("bob"), "admin");
		this.people.create(aProfile("carol"), "admin");
		// One licence is free, and from.directory waits for it since an hour ago.

		this.mvc.perform(formLogin().user("alice").password(PASSWORD)).andExpect(redirectedUrl("/login/awaiting"));

		assertThat(this.people.get(waiting).active()).isTrue();
		assertThat(this.people.get(alice).blockReason()).isEqualTo(BlockReason.AWAITING_LICENSE);
		assertThat(this.dormant.place("alice").orElseThrow().position()).isEqualTo(1);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(3).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
	}

	@Test
	void profileBlockedByAnAdministratorIsStillRefused() throws Exception {
		long alice = withPassword("alice");
		this.people.block(alice, "admin");

		this.mvc.perform(formLogin().user("alice").password(PASSWORD)).andExpect(redirectedUrl("/login?blocked"));

		assertThat(this.people.get(alice).blockReason()).isEqualTo(BlockReason.ADMINISTRATOR);
	}

	@Test
	void awaitingPageWithoutASignInGoesToTheSignInPage() throws Exception {
		this.mvc.perform(get("/login/awaiting")).andExpect(redirectedUrl("/login"));
	}

	@Test
	void returnsRacingForOneFreeLicenseNeverPassTheMaximum() throws Exception {
		this.people.create(aProfile("bob"), "admin");
		this.people.create(aProfile("carol"), "admin");
		int racers = 8;
		List<String> names = new ArrayList<>();
		for (int i = 0; i < racers; i++) {
			long id = this.people.create(aProfile("racer" + i), "admin").id();
			makeDormant(id);
			names.add("racer" + i);
		}
		assertThat(this.licenses.available(io.seatkeeper.license.Pool.PRIMARY)).isEqualTo(1);

		ExecutorService pool = Executors.newFixedThreadPool(racers);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<String>> outcomes = new ArrayList<>();
		try {
			for (String name : names) {
				Callable<String> signIn = () -> {
					start.await();
					try {
						return this.dormant.comeBack(name) ? "active" : "blocked";
					}
					catch (AwaitingLicense awaiting) {
						return "awaiting";
					}
				};
				outcomes.add(pool.submit(signIn));
			}
			start.countDown();
			List<String> results = new ArrayList<>();
			for (Future<String> outcome : outcomes) {
				results.add(outcome.get());
			}
			assertThat(results).containsOnly("active", "awaiting");
			assertThat(results).filteredOn("active"::equals).hasSize(1);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(3).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
		List<Long> places = new ArrayList<>();
		for (String name : names) {
			this.dormant.place(name).ifPresent((place) -> places.add(place.position()));
		}
		assertThat(places).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L);
	}

	private long withPassword(String username) {
		return this.people.create(aProfile(username, null, PASSWORD), "admin").id();
	}

	/**
	 * As the reclaim job leaves it: blocked as dormant, its licence given back.
	 */
	private void makeDormant(long id) {
		this.jdbc.update(
				"update profile set state = 'BLOCKED', block_reason = 'DORMANT', blocked_at = ?, "
						+ "last_sign_in_at = ? where id = ?",
				Timestamp.from(Instant.now()), Timestamp.from(Instant.now().minus(Duration.ofDays(200))), id);
		this.jdbc.update("update license_pool set active_count = active_count - 1 where pool = 'PRIMARY'");
	}

}
