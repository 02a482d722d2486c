package io.seatkeeper.journey;

import java.util.List;
import java.util.Set;

import io.seatkeeper.Browser;
import io.seatkeeper.directory.TestDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The directory sync, through the pages: set up an Active Directory-shaped directory that
 * holds more users than the Primary pool has licences, sync it, read the run's report,
 * and find the users left over in the queue on the License page and the run on the
 * summary.
 */
class DirectoryJourneyTests extends Journey {

	private static final Set<String> STAFF = Set.of("amy", "ben", "cleo", "dan", "eve");

	static final TestDirectory directory = new TestDirectory();

	@BeforeEach
	void aDirectoryWithFiveStaff() {
		directory.reset();
		STAFF.forEach((username) -> directory.addUser(TestDirectory.STAFF, username));
		forgetTheDirectory();
	}

	@AfterEach
	void forgetTheDirectory() {
		this.jdbc.update("delete from directory_run");
		this.jdbc.update("update directory_settings set url = null, bind_dn = null, bind_password = null, "
				+ "base_dn = null, area_mapping = null, cron = null where id = 1");
	}

	@AfterAll
	static void stopDirectory() {
		directory.shutDown();
	}

	@Test
	void syncsADirectoryOverTheLimitAndQueuesTheRest() {
		signInAsSysadmin();
		visit("/admin/system");
		assertThat(browser.text("summary-directory-none"))
			.isEqualTo("The directory is not set up: no profiles are synced from it.");
		browser.click("Set up the directory");
		accessibleAtBothWidths();

		browser.fill("Directory URL (ldap:// or ldaps://)", directory.url())
			.fill("Bind DN", TestDirectory.BIND_DN)
			.fill("Bind password", TestDirectory.BIND_PASSWORD)
			.fill("Base DN", TestDirectory.BASE)
			.fill("OU or group DN -> area, one per line", TestDirectory.STAFF + " -> Primary Area")
			.fill("Schedule (cron; - for never)", "-")
			.click("Save settings");

		assertThat(browser.text()).contains("Directory settings saved.");
		assertThat(browser.text()).contains("No sync has run yet.");
		accessibleAtBothWidths();

		browser.click("Sync now");

		assertThat(browser.path()).startsWith("/admin/system/directory/runs/");
		String runPage = browser.path();
		browser.waitFor(Browser.visible("run-state"));
		assertThat(browser.text("run-state")).isEqualTo("Done");
		assertThat(browser.text("count-read")).isEqualTo("5");
		assertThat(browser.text("count-created-active")).isEqualTo("3");
		assertThat(browser.text("count-created-awaiting")).isEqualTo("2");
		assertThat(browser.text("count-awaiting")).isEqualTo("2");
		assertThat(browser.text("count-errors")).isEqualTo("0");
		accessibleAtBothWidths();
		browser.screenshotWholePage(SCREENSHOTS.resolve("directory-run.png"));

		visit("/admin/system/license");
		chartsDrawn();
		assertThat(browser.text("pool-PRIMARY")).contains("Max_Users 3").contains("Active 3").contains("Available 0");
		List<WebElement> queue = browser.driver().findElements(By.cssSelector("#queue-PRIMARY tbody tr"));
		assertThat(queue).hasSize(2);
		assertThat(queue).extracting((row) -> row.findElement(By.className("position")).getText())
			.containsExactly("1", "2");
		List<String> waiting = queue.stream().map((row) -> row.findElement(By.tagName("a")).getText()).toList();
		assertThat(waiting).doesNotHaveDuplicates().allMatch(STAFF::contains);

		visit("/admin/system");
		assertThat(browser.text("summary-directory-state")).isEqualTo("Done");
		assertThat(browser.text("summary-directory-counts"))
			.isEqualTo("3 created active, 2 created awaiting, 0 activated, 0 updated, 0 blocked, 0 errors");
		assertThat(browser.text("glance-PRIMARY")).contains("3 of 3 used")
			.contains("Awaiting a licence of Max_Users: 2");

		browser.click("Open the run's report");

		assertThat(browser.path()).isEqualTo(runPage);
		assertThat(browser.text("count-created-awaiting")).isEqualTo("2");
	}

}
