package io.seatkeeper.journey;

import io.seatkeeper.NewProfiles;
import io.seatkeeper.license.UsageHistory;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The License page at a glance, on a desktop and on a phone: both pools side by side at
 * the top (one above the other on a phone), one warning for a full pool with its queue
 * and the two remedies, and a usage chart whose axis reaches the maximum in force, whose
 * short history reads as days, and whose figures are also a table.
 */
class LicensePageJourneyTests extends Journey {

	@Autowired
	UsageHistory history;

	@Test
	void aFullPoolIsToldOnceWithItsQueueAndBothPoolsStandSideBySide() {
		aProfile("alice");
		aProfile("bob");
		aProfile("carol");
		this.people.provisionOrQueue(NewProfiles.aProfile("dave"), "directory", (profile) -> {
		});
		this.people.provisionOrQueue(NewProfiles.aProfile("erin"), "directory", (profile) -> {
		});
		signInAsSysadmin();

		visit("/admin/system/license");
		chartsDrawn();

		String warning = browser.text("pool-warning-PRIMARY");
		assertThat(warning).contains("The Primary pool is full: all 3 licences of Max_Users are in use.")
			.contains("2 people are waiting for a licence of it.")
			.contains("What you can do: purchase more licences or block or delete profiles that are not needed.");
		assertThat(browser.driver().findElements(By.cssSelector("[id^=pool-warning-]"))).hasSize(1);
		assertThat(browser.text("pool-PRIMARY")).contains("Awaiting a licence 2");
		Rectangle primary = browser.element("pool-card-PRIMARY").getRect();
		Rectangle viewAll = browser.element("view-all").getRect();
		assertThat(viewAll.getY()).as("View all beside the Primary pool").isEqualTo(primary.getY());
		assertThat(viewAll.getX()).isGreaterThan(primary.getX() + primary.getWidth());
		browser.screenshot(SCREENSHOTS.resolve("license-full.png"));

		browser.width(PHONE);
		browser.open("/admin/system/license");
		chartsDrawn();
		primary = browser.element("pool-card-PRIMARY").getRect();
		viewAll = browser.element("view-all").getRect();
		assertThat(viewAll.getY()).as("View all below the Primary pool on a phone")
			.isGreaterThan(primary.getY() + primary.getHeight() - 1);
		assertThat(browser.sidewaysScroll()).isZero();
		browser.screenshot(SCREENSHOTS.resolve("license-phone.png"));
		browser.width(DESKTOP);
	}

	@Test
	void theChartsAxisReachesTheMaximumInForceAndAShortHistoryReadsAsDays() {
		aProfile("alice");
		// One day recorded yesterday under the old maximum of 25; a key has raised it to
		// 40.
		this.jdbc.update(
				"insert into usage_day (pool, usage_date, max_users, active_count, awaiting, peak_active, "
						+ "updated_at) values ('PRIMARY', ?, 25, 1, 0, 1, current_timestamp)",
				java.sql.Date.valueOf(this.history.today().minusDays(1)));
		this.jdbc.update("update license_pool set max_users = 40 where pool = 'PRIMARY'");
		signInAsSysadmin();

		visit("/admin/system/license");
		chartsDrawn();

		WebElement chart = browser.element("chart-PRIMARY");
		assertThat(Integer.parseInt(chart.getDomAttribute("data-axis-max"))).isGreaterThanOrEqualTo(40);
		assertThat(chart.getDomAttribute("data-slots")).as("two weeks of days, not one bar").isEqualTo("14");
		assertThat(chart.getDomAttribute("aria-describedby")).isEqualTo("usage-alternative-PRIMARY");

		browser.driver().findElement(By.cssSelector("#usage-alternative-PRIMARY summary")).click();

		browser.waitFor((driver) -> driver.findElement(By.id("usage-table-PRIMARY")).isDisplayed());
		assertThat(browser.driver().findElements(By.cssSelector("#usage-table-PRIMARY tbody tr"))).hasSize(2);
		assertThat(browser.driver().findElement(By.cssSelector("#usage-table-PRIMARY tbody tr")).getText())
			.startsWith(this.history.today().toString())
			.contains("40");
		accessibleAtBothWidths();
	}

}
