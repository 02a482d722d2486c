package io.seatkeeper.people;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.seatkeeper.Pools;
import io.seatkeeper.license.LicenseService;
import io.seatkeeper.license.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The one queue (R18): whoever arrives while a pool is full by a path that may wait
 * (directory, SCIM, single sign-on set to queue) waits in one queue, first come, first
 * served; nobody who arrives later overtakes it; it is let in oldest first, whatever the
 * path; a people administrator moves someone to the front or takes them out, audited; the
 * License page and {@code GET /api/v1/license} show it with each one's path and place.
 * The counters always equal the rows.
 */
@SpringBootTest(properties = "spring.datasource.hikari.maximum-pool-size=16")
@AutoConfigureMockMvc
@Tag("database")
class AwaitingQueueTests {

	private static final String ACTOR = "test";

	@Autowired
	AwaitingQueue queue;

	@Autowired
	PeopleService people;

	@Autowired
	DirectoryAccounts directory;

	@Autowired
	ProvisionedAccounts scim;

	@Autowired
	LicenseService licenses;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MockMvc mvc;

	long primaryArea;

	@BeforeEach
	void fullPool() {
		Pools.reset(this.jdbc, 2, 2);
		this.jdbc.update("update directory_settings set activate_when_free = false");
		this.primaryArea = this.jdbc.queryForObject("select id from area where kind = 'PRIMARY'", Long.class);
		this.people.create(io.seatkeeper.NewProfiles.aProfile("holder1"), ACTOR);
		this.people.create(io.seatkeeper.NewProfiles.aProfile("holder2"), ACTOR);
	}

	@AfterEach
	void countersEqualTheRows() {
		this.jdbc.update("update directory_settings set activate_when_free = false");
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	@Test
	void everyPathWaitsInOneQueueInTheOrderOfArrivalAndIsLetInOldestFirst() throws Exception {
		fromDirectory("dora");
		fromScim("sam");
		ProfileView sso = fromSso("olga");

		assertThat(sso.active()).isFalse();
		assertThat(queued()).containsExactly("dora", "sam", "olga");
		assertThat(this.queue.position(id("dora"))).hasValue(1);
		assertThat(this.queue.position(id("sam"))).hasValue(2);
		assertThat(this.queue.position(id("olga"))).hasValue(3);
		assertThat(this.queue.position(id("holder1"))).isEmpty();
		this.mvc.perform(get("/api/v1/license").with(user("admin").roles("SYSADMIN")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.pools[0].pool").value("PRIMARY"))
			.andExpect(jsonPath("$.pools[0].awaiting").value(3))
			.andExpect(jsonPath("$.pools[0].queue[0].username").value("dora"))
			.andExpect(jsonPath("$.pools[0].queue[0].source").value("DIRECTORY"))
			.andExpect(jsonPath("$.pools[0].queue[0].position").value(1))
			.andExpect(jsonPath("$.pools[0].queue[1].source").value("SCIM"))
			.andExpect(jsonPath("$.pools[0].queue[2].username").value("olga"))
			.andExpect(jsonPath("$.pools[0].queue[2].source").value("SSO"))
			.andExpect(jsonPath("$.pools[0].queue[2].position").value(3))
			.andExpect(jsonPath("$.pools[0].queue[2].since").isNotEmpty())
			.andExpect(jsonPath("$.pools[1].queue").isEmpty());

		// Two licences freed; with "activate as soon as a licence is free" off nobody
		// is let in until the next sync run (or a people administrator's Let in now).
		this.people.block(id("holder1"), ACTOR);
		this.people.block(id("holder2"), ACTOR);
		// A newcomer by a path that may wait queues behind them, free licences or not.
		ProfileView late = fromSso("late");
		assertThat(late.active()).isFalse();
		assertThat(queued()).containsExactly("dora", "sam", "olga", "late");

		assertThat(this.queue.activate(Pool.PRIMARY, 1, ACTOR)).isEqualTo(2);

		assertThat(active("dora")).isTrue();
		assertThat(active("sam")).isTrue();
		assertThat(queued()).containsExactly("olga", "late");
		assertThat(this.queue.position(id("olga"))).hasValue(1);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(2).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
	}

	@Test
	void withActivateAsSoonAsFreeAFreedLicenceGoesToTheOldestWhateverItsPath() {
		fromSso("olga");
		fromScim("sam");
		fromDirectory("dora");
		this.jdbc.update("update directory_settings set activate_when_free = true");

		this.people.block(id("holder1"), ACTOR);

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(active("olga")).isTrue());
		assertThat(queued()).containsExactly("sam", "dora");
		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'PROFILE_REINSTATED' and subject = 'olga'",
				Integer.class))
			.isEqualTo(1);
	}

	@Test
	void aPeopleAdministratorMovesSomeoneToTheFrontOrTakesThemOutAudited() throws Exception {
		fromDirectory("dora");
		fromScim("sam");
		fromSso("olga");

		this.mvc
			.perform(post("/admin/people/{id}/queue/front", id("olga")).param("back", "license")
				.with(user("admin").roles("PEOPLE_ADMIN"))
				.with(csrf()))
			.andExpect(redirectedUrl("/admin/system/license"))
			.andExpect(flash().attribute("success", "queue.promoted"));
		assertThat(queued()).containsExactly("olga", "dora", "sam");
		assertThat(audit("QUEUE_PROMOTED", "olga")).isEqualTo(1);

		this.mvc
			.perform(post("/api/v1/profiles/{id}/queue/remove", id("dora")).with(user("admin").roles("PEOPLE_ADMIN")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.state").value("BLOCKED"))
			.andExpect(jsonPath("$.blockReason").value("ADMINISTRATOR"));
		assertThat(queued()).containsExactly("olga", "sam");
		assertThat(audit("QUEUE_REMOVED", "dora")).isEqualTo(1);

		// Not in the queue any more: refused by name, nothing changed.
		this.mvc
			.perform(post("/api/v1/profiles/{id}/queue/front", id("dora")).with(user("admin").roles("PEOPLE_ADMIN")))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.code").value("queue.notAwaiting"))
			.andExpect(jsonPath("$.detail").value(containsString("dora")));
		this.mvc
			.perform(post("/admin/people/{id}/queue/remove", id("holder1")).with(user("admin").roles("PEOPLE_ADMIN"))
				.with(csrf()))
			.andExpect(redirectedUrl("/admin/people/" + id("holder1")))
			.andExpect(flash().attribute("failure", "queue.notAwaiting"));
		assertThat(active("holder1")).isTrue();
		// A sysadmin who is not a people administrator may not change the queue.
		this.mvc.perform(post("/api/v1/profiles/{id}/queue/front", id("sam")).with(user("admin").roles("SYSADMIN")))
			.andExpect(status().isForbidden());

		this.people.block(id("holder1"), ACTOR);
		this.people.block(id("holder2"), ACTOR);
		this.queue.activate(Pool.PRIMARY, 100, ACTOR);
		// The one taken out is never let in; the one moved to the front came first.
		assertThat(active("olga")).isTrue();
		assertThat(active("sam")).isTrue();
		assertThat(active("dora")).isFalse();
	}

	@Test
	void theLicensePageShowsEachOnesPathAndPlaceAndTheProfilePageItsPlace() throws Exception {
		fromDirectory("dora");
		fromSso("olga");

		this.mvc.perform(get("/admin/system/license").with(user("admin").roles("SYSADMIN", "PEOPLE_ADMIN")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Directory sync")))
			.andExpect(content().string(containsString("Single sign-on")))
			.andExpect(content().string(containsString("id=\"front-" + id("olga") + "\"")))
			.andExpect(content().string(containsString("id=\"dequeue-" + id("dora") + "\"")))
			.andExpect(content().string(containsString("One queue for every path")));
		this.mvc.perform(get("/admin/people/{id}", id("olga")).with(user("admin").roles("PEOPLE_ADMIN")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("number 2 in the queue for a licence of Primary")))
			.andExpect(content().string(containsString("id=\"queue-front\"")));

		this.people.block(id("holder1"), ACTOR);
		this.mvc
			.perform(post("/admin/people/queue/activate").param("back", "license")
				.with(user("admin").roles("PEOPLE_ADMIN"))
				.with(csrf()))
			.andExpect(redirectedUrl("/admin/system/license"))
			.andExpect(flash().attribute("success", "queue.activated"));
		assertThat(active("dora")).isTrue();
		assertThat(active("olga")).isFalse();
	}

	@Test
	void concurrentArrivalsByEveryPathGetDistinctPlacesAndActivationKeepsTheGate() throws Exception {
		int perPath = 8;
		ExecutorService pool = Executors.newFixedThreadPool(12);
		CountDownLatch start = new CountDownLatch(1);
		List<CompletableFuture<Void>> arrivals = new ArrayList<>();
		try {
			for (int i = 0; i < perPath; i++) {
				int n = i;
				arrivals.add(CompletableFuture.runAsync(() -> {
					awaitStart(start);
					fromDirectory("dir" + n);
				}, pool));
				arrivals.add(CompletableFuture.runAsync(() -> {
					awaitStart(start);
					fromScim("scim" + n);
				}, pool));
				arrivals.add(CompletableFuture.runAsync(() -> {
					awaitStart(start);
					fromSso("sso" + n);
				}, pool));
			}
			start.countDown();
			CompletableFuture.allOf(arrivals.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

			List<String> order = queued();
			assertThat(order).hasSize(3 * perPath);
			List<Integer> places = new ArrayList<>();
			for (String username : order) {
				places.add(this.queue.position(id(username)).orElseThrow());
			}
			List<Integer> expected = new ArrayList<>();
			for (int i = 1; i <= 3 * perPath; i++) {
				expected.add(i);
			}
			assertThat(places).isEqualTo(expected);

			// Ten licences more; two nodes let the queue in at once: exactly ten, the
			// oldest.
			this.jdbc.update("update license_pool set max_users = 12 where pool = 'PRIMARY'");
			List<CompletableFuture<Integer>> activations = List.of(
					CompletableFuture.supplyAsync(() -> this.queue.activate(Pool.PRIMARY, 3, ACTOR), pool),
					CompletableFuture.supplyAsync(() -> this.queue.activate(Pool.PRIMARY, 3, ACTOR), pool));
			int activated = 0;
			for (CompletableFuture<Integer> activation : activations) {
				activated += activation.get(60, TimeUnit.SECONDS);
			}
			assertThat(activated).isEqualTo(10);
			for (String username : order.subList(0, 10)) {
				assertThat(active(username)).as(username).isTrue();
			}
			assertThat(queued()).isEqualTo(order.subList(10, order.size()));
			assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(12)
				.isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aQueueOperationOnAnUnknownProfileIsNotFound() throws Exception {
		assertThatExceptionOfType(ProfileNotFound.class).isThrownBy(() -> this.queue.moveToFront(999_999, ACTOR));
		this.mvc.perform(post("/api/v1/profiles/999999/queue/front").with(user("admin").roles("PEOPLE_ADMIN")))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.code").value("profile.notFound"));
	}

	private void fromDirectory(String username) {
		Set<Pool> full = new HashSet<>();
		if (this.queue.countAwaiting(Pool.PRIMARY) > 0) {
			full.add(Pool.PRIMARY);
		}
		DirectoryChanges changes = this.directory
			.create(List.of(new DirectoryEntry("guid-" + username, "CN=" + username + ",OU=Staff", username,
					username + "@example.test", "First", "Last", this.primaryArea, true)), full, ACTOR);
		assertThat(changes.errors()).isEmpty();
	}

	private void fromScim(String username) {
		this.scim.create(new ProvisionedUser(username, username + "@example.test", "First", "Last", null, true), true,
				ACTOR);
	}

	private ProfileView fromSso(String username) {
		return this.people.provisionOrQueue(
				new NewProfile(username, username + "@example.test", "First", "Last", null, null, ProfileSource.SSO),
				ACTOR, (created) -> {
				});
	}

	private List<String> queued() {
		return this.jdbc.queryForList("select username from profile where pool = 'PRIMARY' and state = 'BLOCKED' "
				+ "and block_reason = 'AWAITING_LICENSE' order by awaiting_since, id", String.class);
	}

	private long id(String username) {
		return this.jdbc.queryForObject("select id from profile where username = ?", Long.class, username);
	}

	private boolean active(String username) {
		return "ACTIVE"
			.equals(this.jdbc.queryForObject("select state from profile where username = ?", String.class, username));
	}

	private int audit(String action, String target) {
		return this.jdbc.queryForObject("select count(*) from audit_event where action = ? and subject = ?",
				Integer.class, action, target);
	}

	private static void awaitStart(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
