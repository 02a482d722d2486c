package io.seatkeeper.system;

import java.sql.Timestamp;
import java.time.Instant;

import io.seatkeeper.Pools;
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
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The system summary shows the last directory sync's outcome (R10): its state, when, the
 * short counts and a link to the run's report; or that no sync has run, or that no
 * directory is set up, with a link to the settings.
 */
@SpringBootTest(properties = "seatkeeper.directory.cron=-")
@AutoConfigureMockMvc
@Tag("database")
class SystemSummaryTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void noRunsAndNoDirectory() {
		Pools.reset(this.jdbc, 10, 4);
		this.jdbc.update("delete from directory_run");
		directory(null, null);
	}

	@AfterEach
	void forgetRuns() {
		this.jdbc.update("delete from directory_run");
		directory(null, null);
	}

	@Test
	void saysTheDirectoryIsNotSetUpAndLinksToItsSettings() throws Exception {
		String section = directorySection(summary());

		assertThat(section).contains("The directory is not set up: no profiles are synced from it.")
			.contains("href=\"/admin/system/directory\"")
			.contains("Set up the directory")
			.doesNotContain("No sync has run yet.");
	}

	@Test
	void saysNoSyncHasRunYetOnceTheDirectoryIsSetUp() throws Exception {
		directory("ldap://dc1.example.org:389", "DC=example,DC=org");

		String section = directorySection(summary());

		assertThat(section).contains("No sync has run yet.")
			.contains("href=\"/admin/system/directory\"")
			.doesNotContain("not set up");
	}

	@Test
	void showsTheLatestDoneRunWithItsCountsAndLinksToItsReport() throws Exception {
		directory("ldap://dc1.example.org:389", "DC=example,DC=org");
		run("older-run", "FAILED", "2026-03-01T08:00:00Z", "2026-03-01T08:01:00Z", 9, 9, 9, 9, 9, 9, 9);
		run("latest-run", "DONE", "2026-03-02T09:00:00Z", "2026-03-02T09:05:00Z", 12, 3, 2, 5, 1, 4, 2);

		String section = directorySection(summary());

		assertThat(text(section, "summary-directory-state")).isEqualTo("Done");
		assertThat(text(section, "summary-directory-when")).isEqualTo("Finished 2026-03-02 09:05 UTC");
		assertThat(text(section, "summary-directory-counts"))
			.isEqualTo("12 created active, 3 created awaiting, 2 activated, 5 updated, 5 blocked, 2 errors");
		assertThat(section).contains("href=\"/admin/system/directory/runs/latest-run\"").doesNotContain("older-run");
	}

	@Test
	void showsAFailedRunEvenWhenTheDirectoryIsNoLongerSetUp() throws Exception {
		run("failed-run", "FAILED", "2026-03-03T10:00:00Z", "2026-03-03T10:00:30Z", 0, 0, 0, 0, 0, 0, 0);

		String section = directorySection(summary());

		assertThat(text(section, "summary-directory-state")).isEqualTo("Failed");
		assertThat(section).contains("text-bg-danger")
			.contains("href=\"/admin/system/directory/runs/failed-run\"")
			.doesNotContain("not set up");
	}

	@Test
	void showsARunThatNeedsConfirmation() throws Exception {
		directory("ldap://dc1.example.org:389", "DC=example,DC=org");
		run("stopped-run", "NEEDS_CONFIRMATION", "2026-03-04T11:00:00Z", "2026-03-04T11:00:10Z", 0, 0, 0, 0, 0, 0, 0);

		String section = directorySection(summary());

		assertThat(text(section, "summary-directory-state")).isEqualTo("Needs confirmation");
		assertThat(text(section, "summary-directory-when")).isEqualTo("Finished 2026-03-04 11:00 UTC");
		assertThat(section).contains("href=\"/admin/system/directory/runs/stopped-run\"");
	}

	@Test
	void showsARunningRunWithoutCounts() throws Exception {
		directory("ldap://dc1.example.org:389", "DC=example,DC=org");
		run("done-run", "DONE", "2026-03-05T07:00:00Z", "2026-03-05T07:02:00Z", 1, 0, 0, 0, 0, 0, 0);
		run("running-run", "RUNNING", "2026-03-05T12:00:00Z", null, 0, 0, 0, 0, 0, 0, 0);

		String section = directorySection(summary());

		assertThat(text(section, "summary-directory-state")).isEqualTo("Running");
		assertThat(text(section, "summary-directory-when")).isEqualTo("Running since 2026-03-05 12:00 UTC");
		assertThat(section).doesNotContain("summary-directory-counts")
			.contains("href=\"/admin/system/directory/runs/running-run\"");
	}

	private String summary() throws Exception {
		return this.mvc.perform(get("/admin/system").with(user("admin").roles("SYSADMIN")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	private void directory(String url, String baseDn) {
		this.jdbc.update("update directory_settings set url = ?, base_dn = ? where id = 1", url, baseDn);
	}

	private void run(String id, String state, String started, String finished, int createdActive, int createdAwaiting,
			int activated, int updated, int blockedDisabled, int blockedRemoved, int errors) {
		this.jdbc.update("""
				insert into directory_run (id, state, started_by, started_at, finished_at, created_active,
				    created_awaiting, activated, updated, blocked_disabled, blocked_removed, error_count)
				values (?, ?, 'admin', ?, ?, ?, ?, ?, ?, ?, ?, ?)""", id, state, Timestamp.from(Instant.parse(started)),
				(finished != null) ? Timestamp.from(Instant.parse(finished)) : null, createdActive, createdAwaiting,
				activated, updated, blockedDisabled, blockedRemoved, errors);
	}

	private static String directorySection(String page) {
		int start = page.indexOf("id=\"summary-directory\"");
		assertThat(start).as("the summary's directory section").isNotNegative();
		return page.substring(start, page.indexOf("<hr", start));
	}

	private static String text(String html, String id) {
		int start = html.indexOf("id=\"" + id + "\"");
		assertThat(start).as(id).isNotNegative();
		int open = html.indexOf('>', start) + 1;
		return html.substring(open, html.indexOf('<', open)).strip();
	}

}
