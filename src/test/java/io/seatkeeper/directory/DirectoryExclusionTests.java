package io.seatkeeper.directory;

import java.util.UUID;

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
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A directory profile that an administrator deletes while its account is still in scope
 * is excluded from later syncs (the exclusion list on the directory page, with who and
 * when, audited), until a sysadmin removes it from the list. On H2 and on PostgreSQL.
 */
@SpringBootTest(properties = "seatkeeper.directory.cron=-")
@AutoConfigureMockMvc
@Tag("database")
class DirectoryExclusionTests {

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
	PeopleService people;

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
		this.jdbc.update("delete from directory_exclusion");
		directory.reset();
	}

	@Test
	void aDeletedDirectoryProfileIsSkippedByLaterSyncsUntilRemovedFromTheList() throws Exception {
		UUID guid = directory.addUser(TestDirectory.STAFF, "leaver");
		directory.addUser(TestDirectory.STAFF, "stays");
		run();
		this.people.delete(profile("leaver").id(), "leaver", "people-admin");

		assertThat(this.jdbc.queryForObject(
				"select directory_id || ' ' || username || ' ' || excluded_by from directory_exclusion", String.class))
			.isEqualTo(TestDirectory.hex(guid) + " leaver people-admin");
		assertThat(audit("DIRECTORY_EXCLUDED", "leaver")).isEqualTo(1);

		DirectoryRunView skipped = run();

		assertThat(skipped.state()).isEqualTo("DONE");
		assertThat(skipped.excluded()).isEqualTo(1);
		assertThat(skipped.createdActive() + skipped.createdAwaiting()).isZero();
		assertThat(this.people.findByUsername("leaver")).isEmpty();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
		// The preview says the same.
		assertThat(this.sync.preview("admin").excluded()).isEqualTo(1);

		this.mvc.perform(get("/admin/system/directory").with(sysadmin()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"directory-exclusions\"")))
			.andExpect(content().string(containsString("people-admin")))
			.andExpect(content().string(containsString("id=\"remove-leaver\"")));
		this.mvc
			.perform(post("/admin/system/directory/exclusions/remove").param("directoryId", TestDirectory.hex(guid))
				.with(sysadmin())
				.with(csrf()))
			.andExpect(redirectedUrl("/admin/system/directory"))
			.andExpect(flash().attribute("success", "directory.exclusions.removed"));
		assertThat(this.jdbc.queryForObject("select count(*) from directory_exclusion", Integer.class)).isZero();
		assertThat(audit("DIRECTORY_EXCLUSION_REMOVED", "leaver")).isEqualTo(1);

		DirectoryRunView created = run();

		assertThat(created.excluded()).isZero();
		assertThat(created.createdActive()).isEqualTo(1);
		assertThat(profile("leaver").active()).isTrue();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(2).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
	}

	@Test
	void removedFromTheListWhenThePoolIsFullItComesBackAwaitingThroughTheGate() {
		this.jdbc.update("update license_pool set max_users = 1 where pool = 'PRIMARY'");
		directory.addUser(TestDirectory.STAFF, "first");
		run();
		this.people.delete(profile("first").id(), "first", "admin");
		directory.addUser(TestDirectory.STAFF, "second");
		assertThat(run().createdActive()).isEqualTo(1);
		String id = this.jdbc.queryForObject("select directory_id from directory_exclusion", String.class);

		this.mvcRemove(id);
		DirectoryRunView run = run();

		assertThat(run.createdAwaiting()).isEqualTo(1);
		assertThat(profile("first").awaiting()).isTrue();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
	}

	@Test
	void removingAnAccountThatIsNotListedSaysSoAndChangesNothing() throws Exception {
		this.mvc
			.perform(post("/admin/system/directory/exclusions/remove").param("directoryId", "nope")
				.with(sysadmin())
				.with(csrf()))
			.andExpect(redirectedUrl("/admin/system/directory"))
			.andExpect(flash().attribute("failure", "directory.exclusions.notListed"));
		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'DIRECTORY_EXCLUSION_REMOVED' and details = 'id=nope'",
				Integer.class))
			.isZero();
	}

	@Test
	void deletingAProfileThatIsNotFromTheDirectoryListsNothing() {
		this.people.create(io.seatkeeper.NewProfiles.aProfile("local"), "admin");
		this.people.delete(profile("local").id(), "local", "admin");

		assertThat(this.jdbc.queryForObject("select count(*) from directory_exclusion", Integer.class)).isZero();
	}

	private void mvcRemove(String id) {
		try {
			this.mvc
				.perform(post("/admin/system/directory/exclusions/remove").param("directoryId", id)
					.with(sysadmin())
					.with(csrf()))
				.andExpect(redirectedUrl("/admin/system/directory"));
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
	}

	private int audit(String action, String subject) {
		return this.jdbc.queryForObject("select count(*) from audit_event where action = ? and subject = ?",
				Integer.class, action, subject);
	}

	private DirectoryRunView run() {
		return this.sync.runNow("admin").orElseThrow();
	}

	private ProfileView profile(String username) {
		return this.people.findByUsername(username).orElseThrow(() -> new AssertionError("No profile " + username));
	}

	private static org.springframework.test.web.servlet.request.RequestPostProcessor sysadmin() {
		return user("admin").roles("SYSADMIN", "PEOPLE_ADMIN");
	}

}
