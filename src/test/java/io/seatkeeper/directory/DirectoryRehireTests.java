package io.seatkeeper.directory;

import io.seatkeeper.Pools;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rehires (an account deleted and created again, with a new stable id) in the run's
 * report, and {@code seatkeeper.directory.rehire-match=false}. On H2 and on PostgreSQL.
 */
@Tag("database")
class DirectoryRehireTests {

	static final TestDirectory directory = new TestDirectory();

	@AfterAll
	static void stopDirectory() {
		directory.shutDown();
	}

	abstract static class Rehires {

		@Autowired
		DirectorySync sync;

		@Autowired
		PeopleService people;

		@Autowired
		AreaService areas;

		@Autowired
		JdbcTemplate jdbc;

		long rita;

		@BeforeEach
		void aRemovedAccountCreatedAgain() {
			Pools.reset(this.jdbc, 10, 3);
			this.areas.createExtranet("Partners", "admin");
			TestDirectory.forgetRuns(this.jdbc);
			this.jdbc.update("delete from directory_exclusion");
			directory.reset();
			directory.addUser(TestDirectory.STAFF, "rita");
			directory.addUser(TestDirectory.STAFF, "stays");
			run();
			this.rita = profile("rita").id();
			directory.remove(TestDirectory.STAFF, "rita");
			this.jdbc.update("update directory_settings set max_block_percent = 100");
			assertThat(run().blockedRemoved()).isEqualTo(1);
			directory.addUser(TestDirectory.STAFF, "rita");
		}

		DirectoryRunView run() {
			return this.sync.runNow("admin").orElseThrow();
		}

		ProfileView profile(String username) {
			return this.people.findByUsername(username).orElseThrow(() -> new AssertionError("No profile " + username));
		}

	}

	@Nested
	@SpringBootTest(properties = "seatkeeper.directory.cron=-")
	class MatchOn extends Rehires {

		@DynamicPropertySource
		static void directory(DynamicPropertyRegistry registry) {
			directory.register(registry);
		}

		@Test
		void theRunCountsTheRehireAndItsPreviewToo() {
			assertThat(this.sync.preview("admin").rehired()).isEqualTo(1);

			DirectoryRunView run = run();

			assertThat(run.rehired()).isEqualTo(1);
			assertThat(run.createdActive()).isZero();
			assertThat(profile("rita").id()).isEqualTo(this.rita);
			assertThat(profile("rita").active()).isTrue();
			assertThat(
					this.jdbc.queryForObject("select rehired from directory_run where id = ?", Integer.class, run.id()))
				.isEqualTo(1);
			assertThat(run().rehired()).isZero();
		}

	}

	@Nested
	@SpringBootTest(properties = { "seatkeeper.directory.cron=-", "seatkeeper.directory.rehire-match=false" })
	class MatchOff extends Rehires {

		@DynamicPropertySource
		static void directory(DynamicPropertyRegistry registry) {
			directory.register(registry);
		}

		@Test
		void theAccountCreatedAgainIsReportedAsAUsernameTakenAndTheProfileStaysRemoved() {
			DirectoryRunView run = run();

			assertThat(run.rehired()).isZero();
			assertThat(run.createdActive()).isZero();
			assertThat(run.errors()).extracting(DirectoryRunView.RunError::code)
				.containsExactly("directory.error.usernameTaken");
			assertThat(profile("rita").id()).isEqualTo(this.rita);
			assertThat(profile("rita").blockReason().name()).isEqualTo("DIRECTORY");
			assertThat(this.jdbc.queryForObject(
					"select count(*) from audit_event where action = 'DIRECTORY_REHIRE' and subject = 'rita'",
					Integer.class))
				.isZero();
		}

	}

}
