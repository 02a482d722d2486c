package io.seatkeeper.people;

import java.time.Duration;
import java.util.Map;

import io.seatkeeper.NewProfiles;
import io.seatkeeper.Pools;
import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.license.LicenseService;
import io.seatkeeper.license.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What a SCIM client's requests do to profiles, through {@link ProvisionedAccounts} and
 * the profile writer: a create takes a licence or waits in its pool's queue (or is
 * refused), {@code active} blocks and reinstates through the gate, an administrator's
 * block wins, a delete keeps the profile blocked or deletes it, a move follows the gate;
 * the counters always equal the rows, and every change is audited with the client's name.
 */
@SpringBootTest
@Tag("database")
class ProvisionedAccountsTests {

	private static final String CLIENT = "token:entra";

	@Autowired
	ProvisionedAccounts accounts;

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
		Pools.reset(this.jdbc, 2, 1);
	}

	@AfterEach
	void countersEqualTheRows() {
		this.jdbc.update("update directory_settings set activate_when_free = false");
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	@Test
	void createsActiveProfileWithSourceScimAndExternalId() {
		ProvisionedAccount alice = this.accounts.create(aUser("audited", "ext-1", true), true, CLIENT);

		assertThat(alice.active()).isTrue();
		assertThat(alice.externalId()).isEqualTo("ext-1");
		assertThat(alice.area()).isEqualTo("Primary Area");
		assertThat(this.jdbc.queryForObject("select source from profile where id = ?", String.class, alice.id()))
			.isEqualTo("SCIM");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'PROFILE_CREATED' and actor = ? and subject = 'audited'",
				Integer.class, CLIENT))
			.isEqualTo(1);
	}

	@Test
	void queuesWhenThePoolIsFullAndActivatesOldestFirstWhenLicencesAreFreed() {
		// The one queue is let in at once when licences are freed with this on (R18).
		this.jdbc.update("update directory_settings set activate_when_free = true");
		this.accounts.create(aUser("alice", null, true), true, CLIENT);
		ProvisionedAccount bob = this.accounts.create(aUser("bob", null, true), true, CLIENT);
		ProvisionedAccount carol = this.accounts.create(aUser("carol", null, true), true, CLIENT);
		ProvisionedAccount dave = this.accounts.create(aUser("dave", null, true), true, CLIENT);

		assertThat(carol.awaiting()).isTrue();
		assertThat(carol.position()).isEqualTo(1);
		assertThat(dave.position()).isEqualTo(2);

		this.accounts.update(bob.id(), aUser("bob", null, false), true, CLIENT);

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.accounts.find(carol.id()).orElseThrow().active()).isTrue());
		ProvisionedAccount stillWaiting = this.accounts.find(dave.id()).orElseThrow();
		assertThat(stillWaiting.awaiting()).isTrue();
		assertThat(stillWaiting.position()).isEqualTo(1);
		assertThat(this.accounts.find(bob.id()).orElseThrow().blockReason()).isEqualTo(BlockReason.PROVISIONING);
	}

	@Test
	void refusesWhenThePoolIsFullAndRefuseIsSet() {
		this.accounts.create(aUser("alice", null, true), false, CLIENT);
		this.accounts.create(aUser("bob", null, true), false, CLIENT);

		assertThatExceptionOfType(LicenseLimitExceeded.class)
			.isThrownBy(() -> this.accounts.create(aUser("carol", null, true), false, CLIENT))
			.satisfies((refusal) -> {
				assertThat(refusal.pool()).isEqualTo(Pool.PRIMARY);
				assertThat(refusal.max()).isEqualTo(2);
				assertThat(refusal.active()).isEqualTo(2);
			});
		assertThat(this.accounts.find("carol", null, null)).isEmpty();
	}

	@Test
	void deactivatesAndReactivatesThroughTheGate() {
		ProvisionedAccount alice = this.accounts.create(aUser("alice", null, true), true, CLIENT);

		ProvisionedAccount blocked = this.accounts.update(alice.id(), aUser("alice", null, false), true, CLIENT);
		assertThat(blocked.blockReason()).isEqualTo(BlockReason.PROVISIONING);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();

		ProvisionedAccount active = this.accounts.update(alice.id(), aUser("alice", null, true), true, CLIENT);
		assertThat(active.active()).isTrue();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
	}

	@Test
	void reactivationOfAFullPoolWaitsOrIsRefused() {
		ProvisionedAccount alice = this.accounts.create(aUser("alice", null, false), true, CLIENT);
		this.people.create(NewProfiles.aProfile("local1"), "admin");
		this.people.create(NewProfiles.aProfile("local2"), "admin");

		assertThatExceptionOfType(LicenseLimitExceeded.class)
			.isThrownBy(() -> this.accounts.update(alice.id(), aUser("alice", null, true), false, CLIENT));
		assertThat(this.accounts.find(alice.id()).orElseThrow().blockReason()).isEqualTo(BlockReason.PROVISIONING);

		ProvisionedAccount waiting = this.accounts.update(alice.id(), aUser("alice", null, true), true, CLIENT);
		assertThat(waiting.awaiting()).isTrue();
		assertThat(waiting.position()).isEqualTo(1);
	}

	@Test
	void neverActivatesAProfileThatAnAdministratorBlocked() {
		ProvisionedAccount alice = this.accounts.create(aUser("alice", null, true), true, CLIENT);
		this.people.block(alice.id(), "admin");

		ProvisionedAccount after = this.accounts.update(alice.id(), aUser("alice", null, true), true, CLIENT);

		assertThat(after.active()).isFalse();
		assertThat(after.blockReason()).isEqualTo(BlockReason.ADMINISTRATOR);
		this.accounts.update(alice.id(), aUser("alice", null, false), true, CLIENT);
		assertThat(this.accounts.find(alice.id()).orElseThrow().blockReason()).isEqualTo(BlockReason.ADMINISTRATOR);
	}

	@Test
	void deleteKeepsTheProfileBlockedAndHiddenAndACreateTakesItBack() {
		ProvisionedAccount alice = this.accounts.create(aUser("alice", "ext-1", true), true, CLIENT);

		this.accounts.delete(alice.id(), true, CLIENT);

		assertThat(this.accounts.find(alice.id())).isEmpty();
		assertThat(this.people.get(alice.id()).blockReason()).isEqualTo(BlockReason.PROVISIONING);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();

		ProvisionedAccount back = this.accounts.create(aUser("alice", "ext-2", true), true, CLIENT);
		assertThat(back.id()).isEqualTo(alice.id());
		assertThat(back.active()).isTrue();
		assertThat(back.externalId()).isEqualTo("ext-2");
	}

	@Test
	void deleteCanDeleteTheProfile() {
		ProvisionedAccount alice = this.accounts.create(aUser("alice", null, true), true, CLIENT);

		this.accounts.delete(alice.id(), false, CLIENT);

		assertThat(this.people.find(alice.id())).isEmpty();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
	}

	@Test
	void refusesAUsernameOrExternalIdThatIsTaken() {
		this.people.create(NewProfiles.aProfile("local"), "admin");
		this.accounts.create(aUser("alice", "ext-1", true), true, CLIENT);

		assertThatExceptionOfType(NotProvisioned.class)
			.isThrownBy(() -> this.accounts.create(aUser("LOCAL", null, true), true, CLIENT));
		assertThatExceptionOfType(UsernameTaken.class)
			.isThrownBy(() -> this.accounts.create(aUser("Alice", null, true), true, CLIENT));
		assertThatExceptionOfType(ExternalIdTaken.class)
			.isThrownBy(() -> this.accounts.create(aUser("bob", "ext-1", true), true, CLIENT));
	}

	@Test
	void movesToAnExtranetAreaThroughTheGateAndAwaitsWhenItIsFull() {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		ProvisionedAccount alice = this.accounts.create(aUser("alice", null, true), true, CLIENT);
		ProvisionedAccount bob = this.accounts.create(aUser("bob", null, true), true, CLIENT);

		this.accounts.place(Map.of(alice.id(), partners.id(), bob.id(), partners.id()), true, CLIENT);

		assertThat(this.accounts.find(alice.id()).orElseThrow().active()).isTrue();
		assertThat(this.accounts.find(alice.id()).orElseThrow().pool()).isEqualTo(Pool.EXTRANET);
		ProvisionedAccount waiting = this.accounts.find(bob.id()).orElseThrow();
		assertThat(waiting.awaiting()).isTrue();
		assertThat(waiting.area()).isEqualTo("Partners");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(1);
	}

	@Test
	void aMoveIntoAFullPoolIsRefusedWhole() {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		ProvisionedAccount alice = this.accounts.create(aUser("alice", null, true), false, CLIENT);
		ProvisionedAccount bob = this.accounts.create(aUser("bob", null, true), false, CLIENT);

		assertThatExceptionOfType(LicenseLimitExceeded.class).isThrownBy(
				() -> this.accounts.place(Map.of(alice.id(), partners.id(), bob.id(), partners.id()), false, CLIENT));

		assertThat(this.accounts.find(alice.id()).orElseThrow().area()).isEqualTo("Primary Area");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(2);
	}

	private static ProvisionedUser aUser(String username, String externalId, boolean active) {
		return new ProvisionedUser(username, username + "@example.org", "First", "Last", externalId, active);
	}

}
