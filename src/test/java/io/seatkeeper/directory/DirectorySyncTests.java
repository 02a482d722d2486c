package io.seatkeeper.directory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.naming.directory.SearchControls;

import io.seatkeeper.Pools;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.ldap.SizeLimitExceededException;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The sync against an in-memory Active-Directory-shaped directory (R7, R8): under and
 * over the limit, the awaiting queue, administrator blocks, disabled and removed
 * accounts, renames, moves through the gate, paging past the server's size limit, and the
 * safety rules. On H2 and on PostgreSQL.
 */
@SpringBootTest
@Tag("database")
class DirectorySyncTests {

	static final TestDirectory directory = new TestDirectory();

	@DynamicPropertySource
	static void directory(DynamicPropertyRegistry registry) {
		directory.register(registry);
		registry.add("seatkeeper.directory.page-size", () -> "200");
		registry.add("seatkeeper.directory.chunk-size", () -> "300");
	}

	@AfterAll
	static void stopDirectory() {
		directory.shutDown();
	}

	@Autowired
	DirectorySync sync;

	@Autowired
	DirectoryReader reader;

	@Autowired
	DirectorySettingsStore settings;

	@Autowired
	PeopleService people;

	@Autowired
	AreaService areas;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void emptyEverything() {
		Pools.reset(this.jdbc, 10, 3);
		this.areas.createExtranet("Partners", "admin");
		TestDirectory.forgetRuns(this.jdbc);
		directory.reset();
	}

	@Test
	void firstSyncUnderTheLimitCreatesActiveProfiles() {
		for (int i = 0; i < 8; i++) {
			directory.addUser(TestDirectory.STAFF, "staff" + i);
		}
		directory.addUser(TestDirectory.PARTNERS, "partner0");
		directory.addUser("OU=Elsewhere," + TestDirectory.BASE, "outsider");

		DirectoryRunView run = run();

		assertThat(run.state()).isEqualTo("DONE");
		assertThat(run.createdActive()).isEqualTo(9);
		assertThat(run.createdAwaiting()).isZero();
		assertThat(profile("staff3").active()).isTrue();
		assertThat(profile("staff3").email()).isEqualTo("staff3@example.org");
		assertThat(profile("staff3").firstName()).isEqualTo("Given staff3");
		assertThat(profile("partner0").areaName()).isEqualTo("Partners");
		assertThat(this.people.findByUsername("outsider")).isEmpty();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(8).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(1);
	}

	@Test
	void firstSyncOverTheLimitCreatesTheRestAwaitingInOrderOfFirstSight() {
		for (int i = 0; i < 14; i++) {
			directory.addUser(TestDirectory.STAFF, String.format("user%02d", i));
		}

		DirectoryRunView run = run();

		assertThat(run.state()).isEqualTo("DONE");
		assertThat(run.createdActive()).isEqualTo(10);
		assertThat(run.createdAwaiting()).isEqualTo(4);
		assertThat(run.leftAwaiting()).isEqualTo(4);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(10).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
		List<String> awaiting = awaitingUsernames();
		assertThat(awaiting).hasSize(4);
		awaiting
			.forEach((username) -> assertThat(profile(username).blockReason().name()).isEqualTo("AWAITING_LICENSE"));
		// The licence-limit event was recorded.
		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'LICENSE_REFUSED' and subject = ?", Integer.class,
				"run " + run.id()))
			.isEqualTo(1);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'DIRECTORY_SYNC' and details like ?", Integer.class,
				"%run=" + run.id() + "%"))
			.isEqualTo(1);
	}

	@Test
	void afterTheLicenseExpiredNewEntriesAwaitAndTheRunStillUpdatesTheOthers() {
		directory.addUser(TestDirectory.STAFF, "before");
		assertThat(run().createdActive()).isEqualTo(1);
		this.jdbc.update("update license_pool set expires_on = ?", java.sql.Date.valueOf("2020-01-01"));
		try {
			directory.addUser(TestDirectory.STAFF, "after");

			DirectoryRunView run = run();

			assertThat(run.state()).isEqualTo("DONE");
			assertThat(run.createdActive()).isZero();
			assertThat(run.createdAwaiting()).isEqualTo(1);
			assertThat(profile("after").blockReason().name()).isEqualTo("AWAITING_LICENSE");
			assertThat(profile("before").active()).isTrue();
			assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1)
				.isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
		}
		finally {
			this.jdbc.update("update license_pool set expires_on = null");
		}
	}

	@Test
	void freedLicensesActivateTheOldestAwaitingFirstAtTheNextSync() {
		for (int i = 0; i < 10; i++) {
			directory.addUser(TestDirectory.STAFF, "first" + i);
		}
		run();
		directory.addUser(TestDirectory.STAFF, "older");
		run();
		directory.addUser(TestDirectory.STAFF, "newer");
		run();
		assertThat(profile("older").awaiting()).isTrue();
		assertThat(profile("newer").awaiting()).isTrue();

		this.people.block(profile("first0").id(), "admin");
		DirectoryRunView run = run();

		assertThat(run.activated()).isEqualTo(1);
		assertThat(profile("older").active()).isTrue();
		assertThat(profile("newer").awaiting()).isTrue();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(10).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
	}

	@Test
	void withActivateWhenFreeABlockActivatesTheOldestAwaitingAtOnce() {
		for (int i = 0; i < 10; i++) {
			directory.addUser(TestDirectory.STAFF, "seat" + i);
		}
		run();
		directory.addUser(TestDirectory.STAFF, "oldest");
		run();
		directory.addUser(TestDirectory.STAFF, "youngest");
		run();
		this.jdbc.update("update directory_settings set activate_when_free = true");

		this.people.block(profile("seat0").id(), "admin");

		await().atMost(Duration.ofSeconds(20)).until(() -> profile("oldest").active());
		assertThat(profile("youngest").awaiting()).isTrue();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(10).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
	}

	@Test
	void withoutActivateWhenFreeAFreedLicenseWaitsForTheNextSync() throws Exception {
		for (int i = 0; i < 11; i++) {
			directory.addUser(TestDirectory.STAFF, "wait" + i);
		}
		run();
		String awaiting = awaitingUsernames().get(0);

		this.people.block(profile("wait0").id(), "admin");
		// The block's commit left a publication of LicensesFreed for the listener; once
		// the listener has run it is deleted (completion-mode: delete).
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.jdbc.queryForObject("select count(*) from event_publication", Integer.class) == 0);

		assertThat(profile(awaiting).awaiting()).isTrue();
		run();
		assertThat(profile(awaiting).active()).isTrue();
	}

	@Test
	void aProfileBlockedByAnAdministratorIsNeverActivatedBySync() {
		directory.addUser(TestDirectory.STAFF, "alice");
		directory.addUser(TestDirectory.STAFF, "bob");
		run();
		this.people.block(profile("alice").id(), "admin");

		DirectoryRunView run = run();
		directory.disable(TestDirectory.STAFF, "alice");
		run();
		directory.enable(TestDirectory.STAFF, "alice");
		run();

		assertThat(run.activated()).isZero();
		assertThat(profile("alice").active()).isFalse();
		assertThat(profile("alice").blockReason().name()).isEqualTo("ADMINISTRATOR");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
	}

	@Test
	void disabledAndRemovedAccountsAreBlockedByTheDirectoryAndComeBackWhenALicenseIsFree() {
		for (int i = 0; i < 10; i++) {
			directory.addUser(TestDirectory.STAFF, "member" + i);
		}
		this.jdbc.update("update directory_settings set max_block_percent = 20");
		run();

		directory.disable(TestDirectory.STAFF, "member1");
		directory.remove(TestDirectory.STAFF, "member2");
		DirectoryRunView run = run();

		assertThat(run.blockedDisabled()).isEqualTo(1);
		assertThat(run.blockedRemoved()).isEqualTo(1);
		assertThat(profile("member1").blockReason().name()).isEqualTo("DIRECTORY");
		assertThat(profile("member2").blockReason().name()).isEqualTo("DIRECTORY");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(8).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));

		// The pool fills up meanwhile; the account comes back, enabled, and waits.
		directory.addUser(TestDirectory.STAFF, "newcomer1");
		directory.addUser(TestDirectory.STAFF, "newcomer2");
		run();
		directory.enable(TestDirectory.STAFF, "member1");
		run();
		assertThat(profile("member1").awaiting()).isTrue();

		this.people.block(profile("member0").id(), "admin");
		run();
		assertThat(profile("member1").active()).isTrue();
	}

	@Test
	void aRenamedAccountKeepsItsProfile() {
		UUID guid = directory.addUser(TestDirectory.STAFF, "carol");
		run();
		long id = profile("carol").id();

		directory.rename(TestDirectory.STAFF, "carol", "carol.smith");
		DirectoryRunView run = run();

		assertThat(run.updated()).isEqualTo(1);
		assertThat(run.createdActive()).isZero();
		ProfileView renamed = profile("carol.smith");
		assertThat(renamed.id()).isEqualTo(id);
		assertThat(renamed.email()).isEqualTo("carol.smith@example.org");
		assertThat(renamed.active()).isTrue();
		assertThat(this.people.findByUsername("carol")).isEmpty();
		assertThat(this.jdbc.queryForObject("select directory_id from profile where id = ?", String.class, id))
			.isEqualTo(TestDirectory.hex(guid));
	}

	@Test
	void aMoveBetweenAreasPassesTheGate() {
		for (int i = 0; i < 3; i++) {
			directory.addUser(TestDirectory.PARTNERS, "guest" + i);
		}
		directory.addUser(TestDirectory.STAFF, "dave");
		directory.addUser(TestDirectory.STAFF, "erin");
		run();
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(3);

		// The Extranet pool is full: the move happens, the licence waits.
		directory.move(TestDirectory.STAFF, "dave", TestDirectory.PARTNERS);
		run();
		assertThat(profile("dave").areaName()).isEqualTo("Partners");
		assertThat(profile("dave").awaiting()).isTrue();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(3)
			.isEqualTo(Pools.activeRows(this.jdbc, "EXTRANET"));

		// With room in the target pool, an active profile moves with its licence.
		directory.move(TestDirectory.PARTNERS, "guest0", TestDirectory.STAFF);
		run();
		assertThat(profile("guest0").areaName()).isEqualTo("Primary Area");
		assertThat(profile("guest0").active()).isTrue();
		assertThat(profile("dave").active()).isTrue();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(2).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(3)
			.isEqualTo(Pools.activeRows(this.jdbc, "EXTRANET"));
	}

	@Test
	void aGroupMembershipMapsToAnArea() {
		directory.addUser("OU=Elsewhere," + TestDirectory.BASE, "member", UUID.randomUUID(), true, TestDirectory.GROUP);

		run();

		assertThat(profile("member").areaName()).isEqualTo("Partners");
	}

	@Test
	void moreEntriesThanTheServerSizeLimitAllArriveThroughPaging() {
		Pools.reset(this.jdbc, 2000, 3);
		this.areas.createExtranet("Partners", "admin");
		for (int i = 0; i < 1500; i++) {
			directory.addUser(TestDirectory.STAFF, "many" + i);
		}
		// An unpaged read hits the server's limit of 1,000 entries.
		DirectorySettings current = this.settings.current();
		LdapTemplate unpaged = new LdapTemplate(
				this.reader.contextSource(current, current.bindDn(), current.bindPassword()));
		unpaged.setIgnoreSizeLimitExceededException(false);
		SearchControls controls = new SearchControls();
		controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
		assertThatExceptionOfType(SizeLimitExceededException.class).isThrownBy(() -> unpaged.search(TestDirectory.BASE,
				current.userFilter(), controls, (javax.naming.directory.Attributes a) -> a));

		DirectoryRunView run = run();

		assertThat(run.entriesRead()).isEqualTo(1500);
		assertThat(run.createdActive()).isEqualTo(1500);
		assertThat(Pools.activeRows(this.jdbc, "PRIMARY")).isEqualTo(1500);
	}

	@Test
	void aDirectoryThatStopsDuringTheReadChangesNothingAndTheRunFails() {
		Pools.reset(this.jdbc, 2000, 3);
		this.areas.createExtranet("Partners", "admin");
		for (int i = 0; i < 1000; i++) {
			directory.addUser(TestDirectory.STAFF, "read" + i);
		}
		run();
		Map<String, Object> before = snapshot();
		for (int i = 0; i < 50; i++) {
			directory.disable(TestDirectory.STAFF, "read" + i);
		}
		for (int i = 0; i < 100; i++) {
			directory.addUser(TestDirectory.STAFF, "late" + i);
		}

		directory.stopAtSearch(3);
		DirectoryRunView run = run();

		assertThat(run.state()).isEqualTo("FAILED");
		assertThat(run.code()).isEqualTo("directory.run.unreachable");
		assertThat(run.message()).startsWith("The directory could not be read (localhost:")
			.endsWith("Nothing was changed.");
		// The two pages read before the failure stay counted.
		assertThat(run.entriesRead()).isEqualTo(400);
		assertThat(snapshot()).isEqualTo(before);
	}

	@Test
	void anUnreachableDirectoryFailsTheRunAndChangesNothing() {
		directory.addUser(TestDirectory.STAFF, "frank");
		run();
		Map<String, Object> before = snapshot();
		directory.shutDown();

		DirectoryRunView run = run();

		assertThat(run.state()).isEqualTo("FAILED");
		assertThat(run.code()).isEqualTo("directory.failure.connectionRefused");
		assertThat(run.detail()).isEqualTo(directory.url().substring("ldap://".length()));
		assertThat(run.message()).contains("refused the connection", run.detail());
		assertThat(snapshot()).isEqualTo(before);
		assertThat(profile("frank").active()).isTrue();
	}

	@Test
	void aDirectoryThatReturnsNoEntriesBlocksNobodyWithoutConfirmation() {
		directory.addUser(TestDirectory.STAFF, "gina");
		directory.addUser(TestDirectory.STAFF, "hank");
		run();
		directory.remove(TestDirectory.STAFF, "gina");
		directory.remove(TestDirectory.STAFF, "hank");

		DirectoryRunView stopped = run();

		assertThat(stopped.state()).isEqualTo("NEEDS_CONFIRMATION");
		assertThat(stopped.code()).isEqualTo("directory.run.empty");
		assertThat(profile("gina").active()).isTrue();
		assertThat(profile("hank").active()).isTrue();

		this.sync.confirm(stopped.id(), "admin", true);

		assertThat(this.jdbc.queryForObject("select state from directory_run where id = ?", String.class, stopped.id()))
			.isEqualTo("DONE");
		assertThat(profile("gina").blockReason().name()).isEqualTo("DIRECTORY");
		assertThat(profile("hank").blockReason().name()).isEqualTo("DIRECTORY");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
	}

	@Test
	void aRunThatWouldBlockMoreThanTheAllowedShareStopsForConfirmation() {
		for (int i = 0; i < 10; i++) {
			directory.addUser(TestDirectory.STAFF, "share" + i);
		}
		run();
		directory.disable(TestDirectory.STAFF, "share0");
		directory.disable(TestDirectory.STAFF, "share1");

		DirectoryRunView stopped = run();

		assertThat(stopped.state()).isEqualTo("NEEDS_CONFIRMATION");
		assertThat(stopped.wouldBlock()).isEqualTo(2);
		assertThat(stopped.managed()).isEqualTo(10);
		assertThat(profile("share0").active()).isTrue();

		this.sync.confirm(stopped.id(), "admin", true);

		assertThat(profile("share0").blockReason().name()).isEqualTo("DIRECTORY");
		assertThat(this.jdbc.queryForObject("select state from directory_run where id = ?", String.class, stopped.id()))
			.isEqualTo("DONE");
	}

	@Test
	void anUnchangedResyncWritesNothing() {
		for (int i = 0; i < 20; i++) {
			directory.addUser(TestDirectory.STAFF, "same" + i);
		}
		run();
		Map<String, Object> before = snapshot();

		DirectoryRunView run = run();

		assertThat(run.unchanged()).isEqualTo(20);
		assertThat(run.createdActive() + run.createdAwaiting() + run.updated() + run.activated()).isZero();
		assertThat(snapshot()).isEqualTo(before);
	}

	@Test
	void aNewAccountWithTheUsernameOfAProfileStillInTheDirectoryIsNoRehire() {
		directory.addUser(TestDirectory.STAFF, "sam");
		run();
		directory.addUser(TestDirectory.PARTNERS, "sam");

		DirectoryRunView run = run();

		assertThat(run.errors()).extracting(DirectoryRunView.RunError::code)
			.containsExactly("directory.error.usernameTaken");
		assertThat(profile("sam").areaName()).isEqualTo("Primary Area");
		assertThat(this.jdbc.queryForObject("select count(*) from audit_event where action = 'DIRECTORY_REHIRE'",
				Integer.class))
			.isZero();
	}

	@Test
	void aPlainLdapServerWithoutUpdateSequenceNumbersKeepsTheFullSync() {
		directory.addUser(TestDirectory.STAFF, "plain1");
		directory.addUser(TestDirectory.STAFF, "plain2");
		DirectoryRunView first = run();
		assertThat(first.mode()).isEqualTo("FULL");

		DirectoryRunView asked = this.sync.runNow("admin", "DELTA").orElseThrow();

		// No highestCommittedUSN in the rootDSE: the delta cannot be trusted, every entry
		// is read.
		assertThat(asked.state()).isEqualTo("DONE");
		assertThat(asked.mode()).isEqualTo("FULL");
		assertThat(asked.entriesRead()).isEqualTo(first.entriesRead());
		assertThat(asked.unchanged()).isEqualTo(2);
		assertThat(this.jdbc.queryForList("select usn from directory_run", Long.class)).containsOnlyNulls();
	}

	private DirectoryRunView run() {
		return this.sync.runNow("admin").orElseThrow();
	}

	private ProfileView profile(String username) {
		return this.people.findByUsername(username).orElseThrow(() -> new AssertionError("No profile " + username));
	}

	private List<String> awaitingUsernames() {
		return this.jdbc.queryForList(
				"select username from profile where block_reason = 'AWAITING_LICENSE' " + "order by awaiting_since, id",
				String.class);
	}

	private Map<String, Object> snapshot() {
		List<String> rows = new ArrayList<>(this.jdbc.queryForList(
				"select concat(username, ' ', state, ' ', coalesce(block_reason, '-'), ' ', version) from profile "
						+ "order by id",
				String.class));
		return Map.of("profiles", rows, "primary", Pools.counter(this.jdbc, "PRIMARY"));
	}

}
