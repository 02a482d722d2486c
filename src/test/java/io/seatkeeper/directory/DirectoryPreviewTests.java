package io.seatkeeper.directory;

import java.util.List;
import java.util.Map;

import io.seatkeeper.Pools;
import io.seatkeeper.people.AreaService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The preview of a sync (<em>Preview sync</em>, {@code dryRun=true}): it changes nothing
 * (profile rows, pool counters, audit, mail outbox, runs), and its counts are those of
 * the run that follows. On H2 and on PostgreSQL.
 */
@SpringBootTest(properties = "seatkeeper.directory.cron=-")
@AutoConfigureMockMvc
@Tag("database")
class DirectoryPreviewTests {

	static final TestDirectory directory = new TestDirectory();

	@DynamicPropertySource
	static void directory(DynamicPropertyRegistry registry) {
		directory.register(registry);
		registry.add("seatkeeper.directory.chunk-size", () -> "4");
	}

	@AfterAll
	static void stopDirectory() {
		directory.shutDown();
	}

	@Autowired
	DirectorySync sync;

	@Autowired
	AreaService areas;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MockMvc mvc;

	@BeforeEach
	void emptyEverything() {
		Pools.reset(this.jdbc, 10, 3);
		this.areas.createExtranet("Partners", "admin");
		TestDirectory.forgetRuns(this.jdbc);
		directory.reset();
	}

	@Test
	void aPreviewOfTheFirstSyncOverTheLimitChangesNothingAndCountsWhatTheRunDoes() {
		for (int i = 0; i < 14; i++) {
			directory.addUser(TestDirectory.STAFF, String.format("user%02d", i));
		}
		directory.addUser(TestDirectory.PARTNERS, "partner0");
		List<String> before = database();

		DirectoryRunView preview = this.sync.preview("admin");

		assertThat(database()).isEqualTo(before);
		assertThat(preview.state()).isEqualTo("DONE");
		assertThat(preview.createdActive()).isEqualTo(11);
		assertThat(preview.createdAwaiting()).isEqualTo(4);
		assertThat(preview.leftAwaiting()).isEqualTo(4);
		assertSameCounts(preview, run());
	}

	@Test
	void aPreviewOfChangesCountsActivationsBlocksRenamesAndMovesAsTheRunDoes() {
		for (int i = 0; i < 12; i++) {
			directory.addUser(TestDirectory.STAFF, String.format("member%02d", i));
		}
		directory.addUser(TestDirectory.PARTNERS, "guest0");
		this.jdbc.update("update directory_settings set max_block_percent = 50");
		run();
		directory.disable(TestDirectory.STAFF, "member01");
		directory.remove(TestDirectory.STAFF, "member02");
		directory.rename(TestDirectory.STAFF, "member03", "member03.renamed");
		directory.move(TestDirectory.STAFF, "member04", TestDirectory.PARTNERS);
		directory.addUser(TestDirectory.STAFF, "newcomer");
		List<String> before = database();

		DirectoryRunView preview = this.sync.preview("admin");

		assertThat(database()).isEqualTo(before);
		assertThat(preview.blockedDisabled()).isEqualTo(1);
		assertThat(preview.blockedRemoved()).isEqualTo(1);
		// Two licences freed, one by the move: the two awaiting first, then the newcomer.
		assertThat(preview.activated()).isEqualTo(2);
		assertThat(preview.createdActive() + preview.createdAwaiting()).isEqualTo(1);
		assertThat(preview.updated()).isGreaterThanOrEqualTo(2);
		assertThat(preview.moved()).isEqualTo(1);
		assertSameCounts(preview, run());
	}

	@Test
	void aPreviewThatARunWouldStopForSaysSoAndStillCountsWhatAConfirmedRunWouldDo() {
		for (int i = 0; i < 4; i++) {
			directory.addUser(TestDirectory.STAFF, "staff" + i);
		}
		run();
		directory.remove(TestDirectory.STAFF, "staff0");
		directory.remove(TestDirectory.STAFF, "staff1");
		List<String> before = database();

		DirectoryRunView preview = this.sync.preview("admin");

		assertThat(database()).isEqualTo(before);
		assertThat(preview.state()).isEqualTo("NEEDS_CONFIRMATION");
		assertThat(preview.code()).isEqualTo("directory.run.tooManyBlocks");
		assertThat(preview.message()).contains("2");
		assertThat(preview.blockedRemoved()).isEqualTo(2);
		assertThat(preview.wouldBlock()).isEqualTo(2);
	}

	@Test
	void anUnreachableDirectoryGivesAFailedPreviewThatNamesTheCause() {
		directory.addUser(TestDirectory.STAFF, "staff0");
		directory.shutDown();
		List<String> before = database();

		DirectoryRunView preview = this.sync.preview("admin");

		assertThat(database()).isEqualTo(before);
		assertThat(preview.state()).isEqualTo("FAILED");
		assertThat(preview.code()).isNotBlank();
		assertThat(preview.message()).isNotBlank();
	}

	@Test
	void theApiAnswersThePreviewWithTheFieldsOfARunAnd200() throws Exception {
		directory.addUser(TestDirectory.STAFF, "api1");
		directory.addUser(TestDirectory.STAFF, "api2");
		List<String> before = database();

		this.mvc.perform(post("/api/v1/directory/sync").param("dryRun", "true").with(sysadmin()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.state").value("DONE"))
			.andExpect(jsonPath("$.createdActive").value(2))
			.andExpect(jsonPath("$.createdAwaiting").value(0))
			.andExpect(jsonPath("$.entriesRead").value(2))
			.andExpect(jsonPath("$.id").value(org.hamcrest.Matchers.startsWith("preview-")));

		assertThat(database()).isEqualTo(before);
	}

	@Test
	void theConsoleShowsThePreviewAndSaysNothingChanged() throws Exception {
		directory.addUser(TestDirectory.STAFF, "page1");
		List<String> before = database();

		this.mvc.perform(post("/admin/system/directory/preview").with(sysadmin()).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.containsString("id=\"preview-note\"")))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("Nothing was changed")))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("Moved to another area")))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("id=\"count-moved\">0<")))
			.andExpect(
					content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("confirm-run"))));

		assertThat(database()).isEqualTo(before);
	}

	@Test
	void aPreviewWhileARunHoldsTheLockIsRefused() throws Exception {
		this.jdbc.update("update directory_lock set run_id = 'other', locked_at = current_timestamp");
		try {
			this.mvc.perform(post("/api/v1/directory/sync").param("dryRun", "true").with(sysadmin()))
				.andExpect(status().isConflict())
				.andExpect(jsonPath("$.code").value("directory.run.running"));
		}
		finally {
			this.jdbc.update("update directory_lock set run_id = null, locked_at = null");
		}
	}

	static void assertSameCounts(DirectoryRunView preview, DirectoryRunView run) {
		assertThat(run.state()).isEqualTo("DONE");
		assertThat(List.of(preview.entriesRead(), preview.createdActive(), preview.createdAwaiting(),
				preview.activated(), preview.updated(), preview.blockedDisabled(), preview.blockedRemoved(),
				preview.unchanged(), preview.leftAwaiting(), preview.wouldBlock(), preview.managed(), preview.moved(),
				preview.errorCount()))
			.isEqualTo(List.of(run.entriesRead(), run.createdActive(), run.createdAwaiting(), run.activated(),
					run.updated(), run.blockedDisabled(), run.blockedRemoved(), run.unchanged(), run.leftAwaiting(),
					run.wouldBlock(), run.managed(), run.moved(), run.errorCount()));
	}

	/**
	 * Everything a sync could change: profile rows (with their versions), pool rows (with
	 * their counters), audit lines, mail, event publications, runs and the lock.
	 */
	private List<String> database() {
		return database(this.jdbc);
	}

	static List<String> database(JdbcTemplate jdbc) {
		return List.of(rows(jdbc, "select * from profile order by id"),
				rows(jdbc, "select * from license_pool order by pool"), rows(jdbc, "select count(*) from audit_event"),
				rows(jdbc, "select count(*) from mail_outbox"), rows(jdbc, "select count(*) from event_publication"),
				rows(jdbc, "select * from directory_run order by id"), rows(jdbc, "select * from directory_lock"),
				rows(jdbc, "select * from notification_episode"));
	}

	private static String rows(JdbcTemplate jdbc, String sql) {
		List<Map<String, Object>> rows = jdbc.queryForList(sql);
		return rows.toString();
	}

	private DirectoryRunView run() {
		return this.sync.runNow("admin").orElseThrow();
	}

	private static org.springframework.test.web.servlet.request.RequestPostProcessor sysadmin() {
		return user("admin").roles("SYSADMIN", "PEOPLE_ADMIN");
	}

}
