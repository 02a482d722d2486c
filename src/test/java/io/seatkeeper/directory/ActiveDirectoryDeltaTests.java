package io.seatkeeper.directory;

import io.seatkeeper.Pools;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The delta sync against a real Active Directory domain controller ({@link SambaDomain}):
 * after a full run, a run reads only the entries whose {@code uSNChanged} is past the
 * last successful run's {@code highestCommittedUSN}, and the members of the mapped groups
 * that changed; a deletion waits for a full run; another DC (another
 * {@code invocationId}) forces a full run.
 */
@SpringBootTest(properties = { "seatkeeper.admin.password=" + ActiveDirectoryTests.ADMIN_PASSWORD,
		"seatkeeper.directory.cron=-", "seatkeeper.directory.full-sync-cron=-", "seatkeeper.directory.page-size=1000",
		"seatkeeper.directory.read-timeout=3s" })
@AutoConfigureMockMvc
@SambaTest
class ActiveDirectoryDeltaTests {

	final SambaDomain dc = SambaDomain.shared();

	String staff;

	String partners;

	String others;

	@Autowired
	MockMvc mvc;

	@Autowired
	DirectorySync sync;

	@Autowired
	PeopleService people;

	@Autowired
	AreaService areas;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void reset() {
		this.dc.reset();
		this.staff = this.dc.ou("Staff");
		this.partners = this.dc.ou("Partners");
		this.others = this.dc.ou("Others");
		Pools.reset(this.jdbc, 2000, 10);
		this.areas.createExtranet("Partners", "admin");
		TestDirectory.forgetRuns(this.jdbc);
		this.jdbc.update(
				"update directory_settings set url = ?, start_tls = false, bind_dn = ?, bind_password = ?, base_dn = ?, "
						+ "area_mapping = ?, user_filter = null, username_attribute = null, id_attribute = null, "
						+ "max_block_percent = 100",
				"ldap://127.0.0.1:389", SambaDomain.BIND_DN, SambaDomain.BIND_PASSWORD, SambaDomain.BASE,
				this.staff + " -> Primary Area\n" + this.partners + " -> Partners");
	}

	@Test
	void anUnchangedDeltaReadsNoEntryAndChangesNothing() {
		this.dc.user(this.staff, "anna");
		this.dc.user(this.partners, "ben");
		DirectoryRunView first = run(null);
		assertThat(first.mode()).isEqualTo("FULL");
		assertThat(first.createdActive()).isEqualTo(2);
		String before = profiles();

		DirectoryRunView delta = run(null);

		assertThat(delta.state()).isEqualTo("DONE");
		assertThat(delta.mode()).isEqualTo("DELTA");
		assertThat(delta.entriesRead()).isZero();
		assertThat(delta.createdActive() + delta.createdAwaiting() + delta.updated() + delta.blockedDisabled()
				+ delta.blockedRemoved() + delta.activated())
			.isZero();
		assertThat(profiles()).isEqualTo(before);
		// The DC's invocationId, from the NTDS Settings object dsServiceName names.
		assertThat(this.jdbc.queryForList("select invocation_id from directory_run", String.class))
			.allSatisfy((id) -> assertThat(id).matches("[0-9a-f]{32}"));
	}

	@Test
	void aDeltaAppliesExactlyTheCreatesDisablesRenamesAndMovesSinceTheLastRun() {
		this.dc.user(this.staff, "anna");
		this.dc.user(this.staff, "ben");
		String carl = this.dc.user(this.staff, "carl");
		String dora = this.dc.user(this.staff, "dora");
		this.dc.user(this.staff, "emil");
		assertThat(run(null).createdActive()).isEqualTo(5);

		this.dc.user(this.staff, "fay");
		this.dc.disable("ben");
		this.dc.rename(carl, "carlo");
		this.dc.move(dora, this.partners);
		DirectoryRunView delta = run(null);

		assertThat(delta.state()).isEqualTo("DONE");
		assertThat(delta.mode()).isEqualTo("DELTA");
		assertThat(delta.entriesRead()).isEqualTo(4);
		assertThat(delta.createdActive()).isEqualTo(1);
		assertThat(delta.blockedDisabled()).isEqualTo(1);
		assertThat(delta.blockedRemoved()).isZero();
		assertThat(profile("fay").active()).isTrue();
		assertThat(profile("ben").active()).isFalse();
		assertThat(profile("ben").blockReason().name()).isEqualTo("DIRECTORY");
		assertThat(profile("carlo").active()).isTrue();
		assertThat(this.people.findByUsername("carl")).isEmpty();
		assertThat(profile("dora").areaName()).isEqualTo("Partners");
		assertThat(profile("anna").active()).isTrue();
		assertThat(profile("emil").active()).isTrue();

		this.dc.enable("ben");
		DirectoryRunView enabled = run(null);

		assertThat(enabled.mode()).isEqualTo("DELTA");
		assertThat(enabled.entriesRead()).isEqualTo(1);
		assertThat(profile("ben").active()).isTrue();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(1)
			.isEqualTo(Pools.activeRows(this.jdbc, "EXTRANET"));
	}

	@Test
	void aGroupMembershipChangeReReadsTheGroupsMembers() {
		String groups = this.dc.ou("Groups");
		String guests = this.dc.group(groups, "Visitors");
		this.jdbc.update("update directory_settings set area_mapping = ?",
				guests + " -> Partners\n" + this.staff + " -> Primary Area");
		String anna = this.dc.user(this.staff, "anna");
		this.dc.user(this.staff, "ben");
		String olga = this.dc.user(this.others, "olga");
		DirectoryRunView first = run(null);
		assertThat(first.createdActive()).isEqualTo(2);
		assertThat(this.people.findByUsername("olga")).isEmpty();

		// memberOf is a back-link: neither anna's nor olga's uSNChanged moves, the
		// group's
		// does.
		this.dc.addMember(guests, anna);
		this.dc.addMember(guests, olga);
		DirectoryRunView delta = run(null);

		assertThat(delta.mode()).isEqualTo("DELTA");
		assertThat(delta.entriesRead()).isEqualTo(2);
		assertThat(delta.createdActive()).isEqualTo(1);
		assertThat(profile("anna").areaName()).isEqualTo("Partners");
		assertThat(profile("olga").areaName()).isEqualTo("Partners");
		assertThat(profile("ben").areaName()).isEqualTo("Primary Area");
	}

	@Test
	void aDeltaBlocksNobodyForADeletionTheNextFullSyncDoes() {
		this.dc.user(this.staff, "anna");
		this.dc.user(this.staff, "ben");
		this.dc.user(this.staff, "carl");
		assertThat(run(null).createdActive()).isEqualTo(3);
		this.dc.delete("ben");

		DirectoryRunView delta = run(null);

		assertThat(delta.mode()).isEqualTo("DELTA");
		assertThat(delta.blockedRemoved()).isZero();
		assertThat(profile("ben").active()).isTrue();

		DirectoryRunView full = run("FULL");

		assertThat(full.mode()).isEqualTo("FULL");
		assertThat(full.blockedRemoved()).isEqualTo(1);
		assertThat(profile("ben").active()).isFalse();
		assertThat(profile("ben").blockReason().name()).isEqualTo("DIRECTORY");
		assertThat(profile("anna").active()).isTrue();
	}

	@Test
	void anotherDomainControllerOrChangedSettingsForceAFullSync() {
		this.dc.user(this.staff, "anna");
		assertThat(run(null).mode()).isEqualTo("FULL");
		assertThat(run(null).mode()).isEqualTo("DELTA");

		// A restored or another DC has another invocationId.
		this.jdbc.update("update directory_run set invocation_id = '00112233445566778899aabbccddeeff'");
		DirectoryRunView other = run("DELTA");
		assertThat(other.mode()).isEqualTo("FULL");
		assertThat(other.entriesRead()).isGreaterThanOrEqualTo(1);
		assertThat(run(null).mode()).isEqualTo("DELTA");

		// Another scope: the entries the last run read are not those of the mapping now.
		this.jdbc.update("update directory_settings set area_mapping = ?", this.staff + " -> Primary Area");
		assertThat(run(null).mode()).isEqualTo("FULL");
	}

	@Test
	void theApiStartsADeltaOrAFullRunAndSaysWhichRan() throws Exception {
		this.dc.user(this.staff, "anna");
		String first = start("delta");
		this.mvc.perform(get("/api/v1/directory/runs/" + first).with(sysadmin()))
			.andExpect(jsonPath("$.state").value("DONE"))
			.andExpect(jsonPath("$.mode").value("FULL"));
		String delta = start(null);
		this.mvc.perform(get("/api/v1/directory/runs/" + delta).with(sysadmin()))
			.andExpect(jsonPath("$.mode").value("DELTA"));
		String full = start("full");
		this.mvc.perform(get("/api/v1/directory/runs/" + full).with(sysadmin()))
			.andExpect(jsonPath("$.mode").value("FULL"));

		this.mvc.perform(post("/api/v1/directory/sync").param("mode", "sometimes").with(sysadmin()).with(csrf()))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.code").value("directory.run.badMode"))
			.andExpect(jsonPath("$.message").value("The sync mode \"sometimes\" is not known: use delta or full."));
		assertThat(this.jdbc.queryForObject("select count(*) from directory_run", Integer.class)).isEqualTo(3);
	}

	@Test
	void theDirectoryPageOffersBothAndAFullSyncRunsFull() throws Exception {
		this.dc.user(this.staff, "anna");
		run(null);

		this.mvc.perform(post("/admin/system/directory/sync").param("mode", "full").with(sysadmin()).with(csrf()))
			.andExpect(status().is3xxRedirection());
		awaitIdle();

		assertThat(this.jdbc.queryForList("select sync_mode from directory_run order by started_at", String.class))
			.containsExactly("FULL", "FULL");
		String body = this.mvc.perform(get("/admin/system/directory").with(sysadmin()))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(body).contains("id=\"sync-now\"", "id=\"sync-full\"", "name=\"mode\" value=\"full\"");
	}

	private String profiles() {
		return String
			.join("\n",
					this.jdbc.queryForList(
							"select concat(id, ' ', state, ' ', area_id, ' ', username, ' ', "
									+ "updated_at) from profile where directory_id is not null order by id",
							String.class));
	}

	private String start(String mode) throws Exception {
		var request = post("/api/v1/directory/sync").with(sysadmin()).with(csrf());
		if (mode != null) {
			request.param("mode", mode);
		}
		String body = this.mvc.perform(request)
			.andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String id = body.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
		awaitIdle();
		return id;
	}

	private void awaitIdle() throws InterruptedException {
		for (int i = 0; i < 300; i++) {
			Integer running = this.jdbc.queryForObject("select count(*) from directory_run where state = 'RUNNING'",
					Integer.class);
			if (running == 0) {
				return;
			}
			Thread.sleep(100);
		}
		throw new AssertionError("The run did not finish");
	}

	private static org.springframework.test.web.servlet.request.RequestPostProcessor sysadmin() {
		return user("admin").roles("SYSADMIN", "PEOPLE_ADMIN");
	}

	private DirectoryRunView run(String mode) {
		return this.sync.runNow("admin", mode).orElseThrow();
	}

	private ProfileView profile(String username) {
		return this.people.findByUsername(username).orElseThrow(() -> new AssertionError("No profile " + username));
	}

}
