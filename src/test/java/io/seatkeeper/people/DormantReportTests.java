package io.seatkeeper.people;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

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
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The reclaim report (R19): per pool, active profiles with no sign-in for N days, those
 * that never signed in and are older than N days, and what blocking them would free; on
 * the console, in the API and as CSV; bad days are a 400 naming the problem.
 */
@SpringBootTest
@AutoConfigureMockMvc
@Tag("database")
class DormantReportTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	PeopleService people;

	@Autowired
	AreaService areas;

	@Autowired
	DormantReport report;

	@Autowired
	LicenseService licenses;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void emptyPools() {
		Pools.reset(this.jdbc, 20, 10);
		// The console keeps a session true to its profile: these exist, with their roles.
		this.people.changeRoles(profile("pa", null), false, true, "admin");
		this.people.changeRoles(profile("sa", null), true, false, "admin");
		profile("u", null);
	}

	@AfterEach
	void countersEqualTheRows() {
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	@Test
	void countsDormantAndNeverSignedInProfilesPerPool() {
		long partners = this.areas.createExtranet("Partners", "admin").id();
		long old = profile("old", null);
		signedIn(old, 200);
		long recent = profile("recent", null);
		signedIn(recent, 10);
		long never = profile("never", null);
		created(never, 120);
		long newcomer = profile("newcomer", null);
		created(newcomer, 5);
		long blocked = profile("blocked", null);
		signedIn(blocked, 300);
		this.people.block(blocked, "admin");
		long guest = profile("guest", partners);
		signedIn(guest, 91);
		long fromDirectory = profile("from.directory", null);
		this.jdbc.update("update profile set source = 'DIRECTORY' where id = ?", fromDirectory);
		signedIn(fromDirectory, 95);
		long fromScim = profile("from.scim", partners);
		this.jdbc.update("update profile set source = 'SCIM' where id = ?", fromScim);
		created(fromScim, 400);
		// The built-in administrator uses no licence: never counted.
		this.jdbc.update("update profile set last_sign_in_at = ? where built_in = true", ago(1000));

		assertThat(this.report.pools(90)).containsExactly(
				new DormantReport.PoolCounts(io.seatkeeper.license.Pool.PRIMARY, 2, 1, 3),
				new DormantReport.PoolCounts(io.seatkeeper.license.Pool.EXTRANET, 1, 1, 2));
		assertThat(this.report.page(90, null, 100).profiles()).extracting(DormantReport.Dormant::username)
			.containsExactly("old", "never", "guest", "from.directory", "from.scim");
		assertThat(this.report.pools(180)).extracting(DormantReport.PoolCounts::wouldFree).containsExactly(1L, 1L);
	}

	@Test
	void apiAnswersTheReportWithItsNamesAndPagesTheProfiles() throws Exception {
		long a = profile("ann", null);
		signedIn(a, 100);
		long b = profile("bob", null);
		created(b, 100);
		long c = profile("cid", null);
		signedIn(c, 1);

		this.mvc.perform(get("/api/v1/reports/dormant").param("days", "90").with(peopleAdmin()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.days").value(90))
			.andExpect(jsonPath("$.pools[0].pool").value("PRIMARY"))
			.andExpect(jsonPath("$.pools[0].dormant").value(1))
			.andExpect(jsonPath("$.pools[0].neverSignedIn").value(1))
			.andExpect(jsonPath("$.pools[0].wouldFree").value(2))
			.andExpect(jsonPath("$.pools[1].pool").value("EXTRANET"))
			.andExpect(jsonPath("$.pools[1].wouldFree").value(0))
			.andExpect(jsonPath("$.profiles.length()").value(2))
			.andExpect(jsonPath("$.profiles[0].id").value(a))
			.andExpect(jsonPath("$.profiles[0].username").value("ann"))
			.andExpect(jsonPath("$.profiles[0].pool").value("PRIMARY"))
			.andExpect(jsonPath("$.profiles[0].lastSignInAt").isNotEmpty())
			.andExpect(jsonPath("$.profiles[0].createdAt").isNotEmpty())
			.andExpect(jsonPath("$.profiles[1].username").value("bob"))
			.andExpect(jsonPath("$.profiles[1].lastSignInAt").value(nullValue()))
			.andExpect(jsonPath("$.next").value(nullValue()));

		this.mvc.perform(get("/api/v1/reports/dormant").param("limit", "1").with(sysadmin()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.days").value(90))
			.andExpect(jsonPath("$.profiles.length()").value(1))
			.andExpect(jsonPath("$.next").value(containsString("after=" + a)));
		this.mvc.perform(
				get("/api/v1/reports/dormant").param("limit", "1").param("after", String.valueOf(a)).with(sysadmin()))
			.andExpect(jsonPath("$.profiles[0].username").value("bob"))
			.andExpect(jsonPath("$.next").value(nullValue()));
	}

	@Test
	void csvListsEveryDormantProfileAndIsAudited() throws Exception {
		long a = profile("ann", null);
		signedIn(a, 100);
		long b = profile("cmd", null);
		created(b, 100);
		this.jdbc.update("update profile set username = '=cmd' where id = ?", b);

		this.mvc.perform(get("/api/v1/reports/dormant.csv").param("days", "90").with(peopleAdmin()))
			.andExpect(status().isOk())
			.andExpect(header().string("Content-Type", startsWith("text/csv")))
			.andExpect(
					content().string(startsWith("id,username,pool,lastSignInAt,createdAt\r\n" + a + ",ann,PRIMARY,")))
			.andExpect(content().string(containsString(b + ",'=cmd,PRIMARY,,")));
		this.mvc.perform(get("/admin/people/dormant.csv").param("days", "90").with(sysadmin()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(a + ",ann,PRIMARY,")));
		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'PEOPLE_EXPORTED' and details like '%DORMANT_REPORT%'",
				Integer.class))
			.isEqualTo(2);
	}

	@Test
	void badDaysAreAClearProblemInTheApiAndOnThePage() throws Exception {
		for (String days : new String[] { "0", "-3", "ninety", "36501", "99999999999", "1.5" }) {
			this.mvc.perform(get("/api/v1/reports/dormant").param("days", days).with(peopleAdmin()))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.code").value("dormant.days.invalid"))
				.andExpect(jsonPath("$.message").value(containsString("whole number from 1 to 36,500")))
				.andExpect(jsonPath("$.errors.days").exists());
			this.mvc.perform(get("/api/v1/reports/dormant.csv").param("days", days).with(peopleAdmin()))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.code").value("dormant.days.invalid"));
			this.mvc.perform(get("/admin/people/dormant").param("days", days).with(peopleAdmin()))
				.andExpect(status().isBadRequest())
				.andExpect(content().string(containsString("The number of days must be a whole number from 1 to")));
		}
		this.mvc.perform(get("/api/v1/reports/dormant").param("limit", "0").with(peopleAdmin()))
			.andExpect(status().isBadRequest());
	}

	@Test
	void pageShowsThePoolsAndIsLinkedFromTheLicensePageAndTheSummary() throws Exception {
		long a = profile("ann", null);
		signedIn(a, 100);

		this.mvc.perform(get("/admin/people/dormant").with(peopleAdmin()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"dormant-PRIMARY\"")))
			.andExpect(content().string(containsString(">ann</a>")))
			.andExpect(content().string(containsString("id=\"reclaim-off\"")));
		this.mvc.perform(get("/admin/people/dormant").param("days", "365").with(sysadmin()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"dormant-empty\"")));
		this.mvc.perform(get("/admin/system/license").with(sysadmin()))
			.andExpect(content().string(containsString("href=\"/admin/people/dormant\"")));
		this.mvc.perform(get("/admin/system").with(sysadmin()))
			.andExpect(content().string(containsString("id=\"summary-reclaim-link\"")));
	}

	@Test
	void onlyAdministratorsSeeTheReport() throws Exception {
		this.mvc.perform(get("/admin/people/dormant").with(user("u").roles("USER"))).andExpect(status().isForbidden());
		this.mvc.perform(get("/api/v1/reports/dormant").with(user("u").roles("USER")))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/api/v1/reports/dormant")).andExpect(status().isUnauthorized());
	}

	@Test
	void peopleListFiltersDormantBlocks() throws Exception {
		long a = profile("ann", null);
		long b = profile("bob", null);
		this.jdbc.update("update profile set state = 'BLOCKED', block_reason = 'DORMANT', blocked_at = ? where id = ?",
				ago(1), a);
		this.jdbc.update("update license_pool set active_count = active_count - 1 where pool = 'PRIMARY'");

		this.mvc.perform(get("/admin/people").param("state", "DORMANT").with(peopleAdmin()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(">ann<")))
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString(">bob<"))));
		this.mvc.perform(get("/api/v1/profiles/{id}", a).with(peopleAdmin()))
			.andExpect(jsonPath("$.blockReason").value("DORMANT"))
			.andExpect(jsonPath("$.usesLicense").value(false));
		this.mvc.perform(get("/api/v1/profiles").param("state", "dormant").with(peopleAdmin()))
			.andExpect(jsonPath("$.profiles.length()").value(1));
		this.mvc.perform(get("/api/v1/profiles.csv").param("state", "DORMANT").with(peopleAdmin()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("dormant (no sign-in for too long")))
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString("bob"))));
		assertThat(b).isPositive();
	}

	private long profile(String username, Long areaId) {
		return this.people.create(aProfile(username, areaId), "admin").id();
	}

	private void signedIn(long id, int daysAgo) {
		this.jdbc.update("update profile set created_at = ?, last_sign_in_at = ? where id = ?", ago(daysAgo + 30),
				ago(daysAgo), id);
	}

	private void created(long id, int daysAgo) {
		this.jdbc.update("update profile set created_at = ?, last_sign_in_at = null where id = ?", ago(daysAgo), id);
	}

	static Timestamp ago(int days) {
		return Timestamp.from(Instant.now().minus(Duration.ofDays(days)));
	}

	private static RequestPostProcessor peopleAdmin() {
		return user("pa").roles("PEOPLE_ADMIN");
	}

	private static RequestPostProcessor sysadmin() {
		return user("sa").roles("SYSADMIN");
	}

}
