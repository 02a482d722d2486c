package io.seatkeeper.journey;

import org.junit.jupiter.api.Test;
import io.seatkeeper.license.UsageHistory;
import org.openqa.selenium.By;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The system administrator's journeys: the License page with its usage history, the
 * summary, the responsible person; and the people who must be kept out.
 */
class SysadminJourneyTests extends Journey {

	@Autowired
	UsageHistory history;

	@Test
	void readsTheLicensePageAndExpandsViewAll() {
		aProfile("alice");
		aProfile("bob");
		// Eight weeks of history before today, for the chart (and the README's picture).
		for (int day = 56; day >= 1; day--) {
			int active = 1 + (day % 2);
			this.jdbc.update(
					"insert into usage_day (pool, usage_date, max_users, active_count, awaiting, peak_active, updated_at) "
							+ "values ('PRIMARY', ?, 3, ?, 0, ?, current_timestamp)",
					java.sql.Date.valueOf(this.history.today().minusDays(day)), active, 2);
		}
		signInAsSysadmin();

		visit("/admin/system/license");

		assertThat(browser.text("pool-PRIMARY")).contains("Max_Users 3").contains("Active 2").contains("Available 1");
		assertThat(browser.driver().findElement(By.id("pool-EXTRANET")).isDisplayed()).isFalse();
		browser.waitFor((driver) -> "last90".equals(browser.element("chart-PRIMARY").getDomAttribute("data-rendered")));
		assertThat(browser.element("chart-PRIMARY").getDomAttribute("data-points")).isEqualTo("57");
		assertThat(browser.text("peak-PRIMARY")).startsWith("All-time peak: 2 active on ");
		browser
			.waitFor((driver) -> "last90".equals(browser.element("chart-EXTRANET").getDomAttribute("data-rendered")));
		assertThat(browser.text("usage-empty-EXTRANET")).startsWith("No usage recorded in this period.");
		assertThat(browser.element("usage-empty-PRIMARY").isDisplayed()).isFalse();
		browser.screenshotWholePage(SCREENSHOTS.resolve("license.png"));

		assertThat(browser.text("view-all")).isEqualTo("View all: show the Extranet pool (Max_extranet_users)");
		assertThat(browser.element("view-all").getDomAttribute("aria-expanded")).isEqualTo("false");
		browser.press("view-all");

		browser.waitFor((driver) -> driver.findElement(By.id("extranet-licenses"))
			.getDomAttribute("class")
			.matches(".*\\bshow\\b.*"));
		browser.waitFor((driver) -> "true".equals(browser.element("view-all").getDomAttribute("aria-expanded")));
		assertThat(browser.text("view-all")).isEqualTo("View all: hide the Extranet pool (Max_extranet_users)");
		assertThat(browser.text("pool-EXTRANET")).contains("Max_extranet_users 2").contains("Available 2");
		accessibleAtBothWidths();
	}

	@Test
	void downloadsTheUsageHistoryAsCsv() throws Exception {
		aProfile("alice");
		signInAsSysadmin();
		visit("/admin/system/license");
		chartsDrawn();

		browser.press("csv-PRIMARY");

		String csv = java.nio.file.Files.readString(browser.waitForDownload("usage-primary-last90"));
		assertThat(csv.lines().toList()).hasSize(2)
			.first()
			.isEqualTo("Date,Pool,Max_Users,Active,Peak active,Awaiting a licence");
		assertThat(csv.lines().toList().get(1)).endsWith(",Max_Users,3,1,1,0");
	}

	@Test
	void seesEachPoolAtAGlanceOnTheSummary() {
		aProfile("alice");
		aProfile("bob");
		signInAsSysadmin();

		visit("/admin/system");

		assertThat(browser.text("glance-PRIMARY")).contains("67 %").contains("2 of 3 used");
		assertThat(
				browser.driver().findElement(By.cssSelector("#glance-PRIMARY .progress")).getDomAttribute("aria-label"))
			.isEqualTo("Max_Users: 67 % used");
		assertThat(browser.text("glance-EXTRANET")).contains("Awaiting a licence of Max_extranet_users: 0");
		browser.screenshot(SCREENSHOTS.resolve("summary.png"));

		browser.click("Awaiting a licence of Max_Users: 0");

		assertThat(browser.path()).isEqualTo("/admin/system/license#queue-PRIMARY");
	}

	@Test
	void setsTheResponsiblePerson() {
		signInAsSysadmin();
		visit("/admin/system/license");
		chartsDrawn();

		browser.fill("responsible-email", "not-an-address").click("Save");
		chartsDrawn();

		assertThat(browser.text("responsible-email-error")).contains("Nothing was changed.");
		accessibleAtBothWidths();

		browser.fill("responsible-email", "licences@example.org").click("Save");
		chartsDrawn();

		assertThat(browser.text()).contains("The responsible person is now licences@example.org.");
		assertThat(browser.text("responsible-current")).isEqualTo("Mails go to licences@example.org.");
		accessibleAtBothWidths();
	}

	@Test
	void aBlockedUserIsRefusedAtSignIn() {
		long mallory = aProfile("mallory");
		this.people.block(mallory, "admin");

		browser.signIn("mallory", PASSWORD);

		assertThat(browser.text("login-blocked")).contains("This account is blocked and cannot sign in.");
		assertThat(browser.path()).startsWith("/login");
		accessibleAtBothWidths();
	}

	@Test
	void aPeopleAdministratorCannotOpenTheSystemPanel() {
		long peggy = aProfile("peggy");
		this.people.changeRoles(peggy, false, true, "admin");
		browser.signIn("peggy", PASSWORD);

		assertThat(browser.driver().findElements(By.linkText("System"))).isEmpty();
		visit("/admin/system");

		assertThat(browser.text()).contains("You do not have the role needed for this page.");
		visit("/admin/system/license");
		assertThat(browser.text()).contains("You do not have the role needed for this page.");
		visit("/admin/people");
		assertThat(browser.text()).contains("peggy");
	}

}
