package io.seatkeeper.directory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import io.seatkeeper.Outbox;
import io.seatkeeper.Pools;
import io.seatkeeper.license.Pool;
import io.seatkeeper.notification.ResponsiblePerson;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.BlockReason;
import io.seatkeeper.people.ImportMode;
import io.seatkeeper.people.ImportService;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileEvents.LicensesTaken;
import io.seatkeeper.people.ProfileEvents.ProfileMoved;
import io.seatkeeper.people.ProfileEvents.ProfilesCreated;
import io.seatkeeper.people.ProfileEvents.ProfilesQueued;
import io.seatkeeper.people.ProfileState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every path publishes the same facts through the one writer: a CSV upload and a
 * directory sync cross the early warning's threshold as single adds do, and a directory
 * mover that the target pool has no licence for is published and audited as awaiting.
 */
@SpringBootTest(
		properties = { "seatkeeper.notification.early-warning.primary=80", "seatkeeper.mail.pool-check-interval=1h" })
@RecordApplicationEvents
@Tag("database")
class SameFactsFromEveryPathTests {

	static final TestDirectory directory = new TestDirectory();

	@DynamicPropertySource
	static void directory(DynamicPropertyRegistry registry) {
		directory.register(registry);
	}

	@AfterAll
	static void stopDirectory() {
		directory.shutDown();
	}

	@Autowired
	DirectorySync sync;

	@Autowired
	ImportService imports;

	@Autowired
	PeopleService people;

	@Autowired
	AreaService areas;

	@Autowired
	ResponsiblePerson responsiblePerson;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ApplicationEvents events;

	@BeforeEach
	void startFromKnownState() {
		Pools.reset(this.jdbc, 10, 2);
		this.areas.createExtranet("Partners", "admin");
		TestDirectory.forgetRuns(this.jdbc);
		Outbox.clear(this.jdbc);
		this.jdbc.update("delete from audit_event");
		this.responsiblePerson.change("licences@example.org", "admin");
		directory.reset();
	}

	@Test
	void aCsvUploadThatCrossesTheThresholdQueuesTheEarlyWarning() {
		StringBuilder csv = new StringBuilder("username,email\n");
		for (int i = 0; i < 7; i++) {
			csv.append("csv").append(i).append(",csv").append(i).append("@example.org\n");
		}
		this.imports.importNow("below.csv", csv.toString().getBytes(StandardCharsets.UTF_8), ImportMode.ALL_OR_NOTHING,
				"admin", Locale.ENGLISH);
		assertThat(warnings()).isZero();

		this.imports.importNow("above.csv",
				"username,email\ncsv7,csv7@example.org\ncsv8,csv8@example.org\n".getBytes(StandardCharsets.UTF_8),
				ImportMode.ALL_OR_NOTHING, "admin", Locale.ENGLISH);

		assertThat(warnings()).isEqualTo(1);
		assertThat(this.events.stream(LicensesTaken.class).filter((event) -> event.pool() == Pool.PRIMARY))
			.extracting(LicensesTaken::count)
			.containsExactly(7, 2);
		assertThat(this.events.stream(ProfilesCreated.class)).extracting(ProfilesCreated::total).containsExactly(7, 2);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(9).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
	}

	@Test
	void aDirectorySyncThatCrossesTheThresholdQueuesTheEarlyWarning() {
		for (int i = 0; i < 9; i++) {
			directory.addUser(TestDirectory.STAFF, "staff" + i);
		}

		DirectoryRunView run = this.sync.runNow("admin").orElseThrow();

		assertThat(run.createdActive()).isEqualTo(9);
		assertThat(warnings()).isEqualTo(1);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'LIMIT_MAIL_QUEUED' and details like 'kind=WARNING%'",
				Integer.class))
			.isEqualTo(1);
	}

	@Test
	void aDirectoryMoverLeftAwaitingIsPublishedAndAuditedAsAwaiting() {
		directory.addUser(TestDirectory.PARTNERS, "guest0");
		directory.addUser(TestDirectory.PARTNERS, "guest1");
		directory.addUser(TestDirectory.STAFF, "dave");
		this.sync.runNow("admin").orElseThrow();
		this.events.clear();

		directory.move(TestDirectory.STAFF, "dave", TestDirectory.PARTNERS);
		this.sync.runNow("admin").orElseThrow();

		List<ProfileMoved> moves = this.events.stream(ProfileMoved.class).toList();
		assertThat(moves).singleElement().satisfies((move) -> {
			assertThat(move.username()).isEqualTo("dave");
			assertThat(move.toPool()).isEqualTo(Pool.EXTRANET);
			assertThat(move.state()).isEqualTo(ProfileState.BLOCKED);
			assertThat(move.blockReason()).isEqualTo(BlockReason.AWAITING_LICENSE);
		});
		assertThat(this.events.stream(ProfilesQueued.class)).singleElement()
			.satisfies((queued) -> assertThat(queued.pool()).isEqualTo(Pool.EXTRANET));
		assertThat(this.jdbc.queryForObject("select details from audit_event where action = 'PROFILE_MOVED'",
				String.class))
			.contains("state=BLOCKED")
			.contains("reason=AWAITING_LICENSE")
			.doesNotContain("state=ACTIVE");
		assertThat(this.people.findByUsername("dave").orElseThrow().awaiting()).isTrue();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero().isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(2)
			.isEqualTo(Pools.activeRows(this.jdbc, "EXTRANET"));
	}

	private int warnings() {
		return this.jdbc.queryForObject("select count(*) from notification_episode where kind = 'WARNING'",
				Integer.class);
	}

}
