package io.seatkeeper.system;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.seatkeeper.Pools;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.PeopleService;
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
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The licence page (R10) and the system summary (R11) show the counts that the database
 * holds, for the built-in administrator signed in to the console.
 */
@SpringBootTest
@AutoConfigureMockMvc
@Tag("database")
class LicensePagesTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	PeopleService people;

	@Autowired
	AreaService areas;

	@Autowired
	JdbcTemplate jdbc;

	private long partners;

	@BeforeEach
	void emptyPools() {
		Pools.reset(this.jdbc, 10, 4);
		this.partners = this.areas.createExtranet("Partners", "admin").id();
	}

	@Test
	void licensePageShowsMaxUsersWithActiveAvailableAndAwaiting() throws Exception {
		anActiveProfile("alice");
		anActiveProfile("bob");
		anActiveProfile("carol");
		anAwaitingProfile("dave");
		aBlockedProfile("erin");

		String page = licensePage();

		assertThat(cell(page, "PRIMARY", "max")).isEqualTo("10");
		assertThat(cell(page, "PRIMARY", "active")).isEqualTo("3");
		assertThat(cell(page, "PRIMARY", "available")).isEqualTo("7");
		assertThat(cell(page, "PRIMARY", "awaiting")).isEqualTo("1");
		assertThat(poolTable(page, "PRIMARY")).contains("<th scope=\"row\">Max_Users</th>");
		assertThat(cell(page, "PRIMARY", "active")).isEqualTo(String.valueOf(Pools.activeRows(this.jdbc, "PRIMARY")));
	}

	@Test
	void viewAllExpandsASectionWithMaxExtranetUsers() throws Exception {
		anActiveProfile("alice");
		anActiveProfile("eve", this.partners);
		anActiveProfile("frank", this.partners);
		anAwaitingProfile("grace", this.partners);

		String page = licensePage();

		assertThat(page)
			.containsPattern("<button[^>]*data-bs-toggle=\"collapse\"[^>]*data-bs-target=\"#extranet-licenses\""
					+ "[^>]*aria-expanded=\"false\"[^>]*>\\s*<span class=\"view-all-closed\">View all: show the Extranet pool "
					+ "\\(Max_extranet_users\\)</span>");
		String section = collapsedSection(page);
		assertThat(section).contains("<th scope=\"row\">Max_extranet_users</th>");
		assertThat(section).doesNotContain("pool-PRIMARY");
		assertThat(cell(section, "EXTRANET", "max")).isEqualTo("4");
		assertThat(cell(section, "EXTRANET", "active")).isEqualTo("2");
		assertThat(cell(section, "EXTRANET", "available")).isEqualTo("2");
		assertThat(cell(section, "EXTRANET", "awaiting")).isEqualTo("1");
		// The Primary pool stays visible, outside the section.
		assertThat(page.indexOf("id=\"pool-PRIMARY\"")).isPositive().isLessThan(page.indexOf("id=\"view-all\""));
	}

	@Test
	void licensePageWarnsOfAPrimaryPoolOverItsMaximum() throws Exception {
		anActiveProfile("alice");
		anActiveProfile("bob");
		anActiveProfile("carol");
		this.jdbc.update("update license_pool set max_users = 1 where pool = 'PRIMARY'");

		String page = licensePage();

		assertThat(warning(page, "PRIMARY")).contains(
				"The Primary pool is over its maximum: 3 profiles are active for 1 licence of Max_Users, 2 too many.")
			.contains("Nobody is waiting for a licence of it.")
			.containsOnlyOnce("purchase more licences")
			.containsOnlyOnce("block or delete profiles that are not needed");
		assertThat(cell(page, "PRIMARY", "max")).isEqualTo("1");
		assertThat(cell(page, "PRIMARY", "active")).isEqualTo("3");
		assertThat(cell(page, "PRIMARY", "available")).isEqualTo("0");
		assertThat(collapsedSection(page)).doesNotContain("over its maximum");
	}

	@Test
	void licensePageWarnsOnceOfAFullPrimaryPoolWithItsQueue() throws Exception {
		anActiveProfile("alice");
		anActiveProfile("bob");
		anAwaitingProfile("carol");
		this.jdbc.update("update license_pool set max_users = 2 where pool = 'PRIMARY'");

		String page = licensePage();

		assertThat(warning(page, "PRIMARY"))
			.contains("The Primary pool is full: all 2 licences of Max_Users are in use.")
			.contains("1 person is waiting for a licence of it.")
			.containsOnlyOnce("purchase more licences");
		assertThat(page).doesNotContain("id=\"pool-warning-EXTRANET\"");
	}

	@Test
	void licensePageWarnsOfAnExtranetPoolOverItsMaximum() throws Exception {
		anActiveProfile("eve", this.partners);
		anActiveProfile("frank", this.partners);
		this.jdbc.update("update license_pool set max_users = 0 where pool = 'EXTRANET'");

		String page = licensePage();

		assertThat(warning(page, "EXTRANET")).contains(
				"The Extranet pool is over its maximum: 2 profiles are active for 0 licences of Max_extranet_users, 2 too many.");
		assertThat(cell(page, "EXTRANET", "available")).isEqualTo("0");
		// Told once, before anyone opens View all.
		assertThat(page.indexOf("id=\"pool-warning-EXTRANET\"")).isPositive()
			.isLessThan(page.indexOf("id=\"extranet-licenses\""));
		assertThat(collapsedSection(page)).doesNotContain("over its maximum");
	}

	@Test
	void licensePageListsTheAwaitingQueueOldestFirst() throws Exception {
		long late = anActiveProfile("late");
		long early = anActiveProfile("early");
		long middle = anActiveProfile("middle");
		awaiting(late, 10);
		awaiting(early, 300);
		awaiting(middle, 60);

		String page = licensePage();

		String queue = page.substring(page.indexOf("id=\"queue-PRIMARY\""), page.indexOf("id=\"queue-EXTRANET\""));
		assertThat(queue).containsSubsequence(">1<", ">early<", ">2<", ">middle<", ">3<", ">late<");
		assertThat(page.substring(page.indexOf("id=\"queue-EXTRANET\"")))
			.contains("Nobody is waiting for a licence of this pool.");
	}

	@Test
	void licensePageShowsNoWarningWhileEveryPoolIsWithinItsMaximum() throws Exception {
		anActiveProfile("alice");
		anActiveProfile("eve", this.partners);
		this.jdbc.update("update license_pool set max_users = 2 where pool in ('PRIMARY', 'EXTRANET')");

		assertThat(licensePage()).doesNotContain("pool-warning-").doesNotContain("over its maximum");
	}

	@Test
	void summaryCountsActiveProfilesOnlyExcludingTheAdministrator() throws Exception {
		anActiveProfile("alice");
		anActiveProfile("bob");
		anActiveProfile("carol");
		anActiveProfile("eve", this.partners);
		anActiveProfile("frank", this.partners);
		aBlockedProfile("mallory");
		aBlockedProfile("trent", this.partners);
		anAwaitingProfile("dave");
		anAwaitingProfile("grace", this.partners);
		anAwaitingProfile("heidi", this.partners);

		String page = summaryPage();

		assertThat(page).contains(
				"<p class=\"fw-bold mb-1\" id=\"summary-sentence\">Number of Users 5 (3 in intranet area), excluding the administrator account</p>");
		assertThat(paragraph(page, "summary-extranet")).isEqualTo("Extranet users: 2");
		// The awaiting are blocked too: told apart, so that nobody is counted twice.
		assertThat(paragraph(page, "summary-blocked")).isEqualTo(
				"Blocked, no licence used: 2 by an administrator, the directory or as dormant · 3 awaiting a licence");
	}

	@Test
	void summaryShowsEachPoolAtAGlanceWithItsQueue() throws Exception {
		anActiveProfile("alice");
		anActiveProfile("bob");
		anActiveProfile("carol");
		anActiveProfile("eve", this.partners);
		anAwaitingProfile("dave");
		anAwaitingProfile("grace", this.partners);
		anAwaitingProfile("heidi", this.partners);

		String page = summaryPage();

		// Primary: 3 active (dave was active, then waits) of 10.
		assertThat(page).containsPattern("<div class=\"progress\" role=\"progressbar\" aria-valuemin=\"0\" "
				+ "aria-valuemax=\"100\"\\s+aria-valuenow=\"30\" aria-label=\"Max_Users: 30 % used\">");
		assertThat(page).contains("data-percent=\"30\">30 %</div>");
		assertThat(page).containsPattern("aria-valuenow=\"25\" aria-label=\"Max_extranet_users: 25 % used\"");
		assertThat(page)
			.contains("<a href=\"/admin/system/license#queue-PRIMARY\">Awaiting a licence of Max_Users: 1</a>");
		assertThat(page).contains(
				"<a href=\"/admin/system/license#queue-EXTRANET\">Awaiting a licence of Max_extranet_users: 2</a>");
		assertThat(page).contains("<a href=\"/admin/system/license\">Max_Users</a>");
	}

	@Test
	void summarySentenceStandsAtTheBottomOfThePage() throws Exception {
		anActiveProfile("alice");

		String page = summaryPage();

		int sentence = page.indexOf("Number of Users 1 (1 in intranet area), excluding the administrator account");
		assertThat(sentence).isPositive()
			.isGreaterThan(page.indexOf("Max_Users"))
			.isGreaterThan(page.indexOf("Max_extranet_users"));
		assertThat(page.indexOf("id=\"summary-extranet\"")).isGreaterThan(sentence);
		assertThat(page.indexOf("id=\"summary-blocked\"")).isGreaterThan(sentence);
	}

	@Test
	void summaryNeverCountsTheBuiltInAdministrator() throws Exception {
		String page = summaryPage();

		assertThat(paragraph(page, "summary-sentence"))
			.isEqualTo("Number of Users 0 (0 in intranet area), excluding the administrator account");
		assertThat(paragraph(page, "summary-extranet")).isEqualTo("Extranet users: 0");
		assertThat(paragraph(page, "summary-blocked")).isEqualTo(
				"Blocked, no licence used: 0 by an administrator, the directory or as dormant · 0 awaiting a licence");
	}

	@Test
	void summaryAndLicensePageAgreeWithTheDatabase() throws Exception {
		anActiveProfile("alice");
		anActiveProfile("bob");
		anActiveProfile("eve", this.partners);
		anAwaitingProfile("dave");

		String summary = summaryPage();
		String license = licensePage();

		int primary = Pools.activeRows(this.jdbc, "PRIMARY");
		int extranet = Pools.activeRows(this.jdbc, "EXTRANET");
		assertThat(paragraph(summary, "summary-sentence")).isEqualTo("Number of Users " + (primary + extranet) + " ("
				+ primary + " in intranet area), excluding the administrator account");
		assertThat(cell(license, "PRIMARY", "active")).isEqualTo(String.valueOf(primary));
		assertThat(cell(license, "EXTRANET", "active")).isEqualTo(String.valueOf(extranet));
		assertThat(summary).contains("2 of 10 used (20 %)").contains("1 of 4 used (25 %)");
	}

	@Test
	void licensePagesAreForSysadminsOnly() throws Exception {
		this.people.changeRoles(anActiveProfile("pam"), false, true, "admin");
		this.mvc.perform(get("/admin/system/license").with(user("pam").roles("PEOPLE_ADMIN")))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/admin/system").with(user("pam").roles("PEOPLE_ADMIN")))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/admin/system/license")).andExpect(status().is3xxRedirection());
	}

	private void awaiting(long id, int minutesAgo) {
		this.jdbc.update(
				"update profile set state = 'BLOCKED', block_reason = 'AWAITING_LICENSE',"
						+ " awaiting_since = current_timestamp - interval '" + minutesAgo + "' minute where id = ?",
				id);
		this.jdbc.update("update license_pool set active_count = active_count - 1 where pool = 'PRIMARY'");
	}

	private String licensePage() throws Exception {
		return page("/admin/system/license");
	}

	private String summaryPage() throws Exception {
		return page("/admin/system");
	}

	private String page(String path) throws Exception {
		return this.mvc.perform(get(path).with(builtInAdministrator()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	private static RequestPostProcessor builtInAdministrator() {
		return user("admin").roles("SYSADMIN", "PEOPLE_ADMIN");
	}

	private static String poolTable(String html, String pool) {
		Matcher table = Pattern.compile("<table[^>]*id=\"pool-" + pool + "\"[^>]*>(.*?)</table>", Pattern.DOTALL)
			.matcher(html);
		assertThat(table.find()).as("the table of the %s pool", pool).isTrue();
		return table.group(1);
	}

	private static String cell(String html, String pool, String figure) {
		Matcher cell = Pattern.compile("<td class=\"" + figure + " num\">([^<]*)</td>").matcher(poolTable(html, pool));
		assertThat(cell.find()).as("the %s cell of the %s pool", figure, pool).isTrue();
		return cell.group(1).strip();
	}

	private static String warning(String html, String pool) {
		Matcher warning = Pattern
			.compile(
					"<div class=\"alert alert-warning\" role=\"alert\"\\s+id=\"pool-warning-" + pool + "\">(.*?)</div>",
					Pattern.DOTALL)
			.matcher(html);
		assertThat(warning.find()).as("the warning of the %s pool", pool).isTrue();
		return warning.group(1);
	}

	private static String collapsedSection(String html) {
		Matcher section = Pattern
			.compile("<div class=\"collapse[^\"]*\" id=\"extranet-licenses\">(.*?)</table>", Pattern.DOTALL)
			.matcher(html);
		assertThat(section.find()).as("the section that View all expands").isTrue();
		return section.group(1) + "</table>";
	}

	private static String paragraph(String html, String id) {
		Matcher paragraph = Pattern.compile("<p[^>]*id=\"" + id + "\"[^>]*>([^<]*)</p>").matcher(html);
		assertThat(paragraph.find()).as("the paragraph %s", id).isTrue();
		return paragraph.group(1).strip();
	}

	private long anActiveProfile(String username) {
		return anActiveProfile(username, null);
	}

	private long anActiveProfile(String username, Long areaId) {
		return this.people.create(aProfile(username, areaId), "admin").id();
	}

	private long aBlockedProfile(String username) {
		return aBlockedProfile(username, null);
	}

	private long aBlockedProfile(String username, Long areaId) {
		long id = anActiveProfile(username, areaId);
		this.people.block(id, "admin");
		return id;
	}

	private void anAwaitingProfile(String username) {
		anAwaitingProfile(username, null);
	}

	private void anAwaitingProfile(String username, Long areaId) {
		long id = aBlockedProfile(username, areaId);
		this.jdbc.update(
				"update profile set state = 'BLOCKED', block_reason = 'AWAITING_LICENSE', awaiting_since = blocked_at where id = ?",
				id);
	}

}
