package io.seatkeeper.journey;

import io.seatkeeper.license.UsageHistory;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The forecast (R20) on the License page in a real browser: the sentence beside the
 * chart, and the trend drawn as a dashed line into the future, within the page's
 * Content-Security-Policy.
 */
class ForecastJourneyTests extends Journey {

	@Autowired
	UsageHistory history;

	@Test
	void seesWhenThePoolIsFullAndTheTrendIntoTheFuture() {
		// 20 days before today, a licence more every ten days: 2 yesterday, Max_Users is
		// 3.
		for (int day = 20; day >= 1; day--) {
			int peak = (20 - day) / 10 + ((day == 1) ? 1 : 0);
			this.jdbc.update(
					"insert into usage_day (pool, usage_date, max_users, active_count, awaiting, peak_active, updated_at) "
							+ "values ('PRIMARY', ?, 3, ?, 0, ?, current_timestamp)",
					java.sql.Date.valueOf(this.history.today().minusDays(day)), peak, peak);
		}
		signInAsSysadmin();

		visit("/admin/system/license");
		chartsDrawn();

		assertThat(browser.element("forecast-PRIMARY").getDomAttribute("data-trend")).isEqualTo("RISING");
		assertThat(browser.text("forecast-PRIMARY"))
			.startsWith("At the last 90 days' rate, Max_Users is reached around ");
		int points = Integer.parseInt(browser.element("chart-PRIMARY").getDomAttribute("data-trend-points"));
		// The 20 days of history and at least one day ahead.
		assertThat(points).isGreaterThan(20);
		assertThat(browser.text("forecast-EXTRANET")).isEqualTo("Not enough history yet (0 of 14 days).");
		assertThat(browser.element("chart-EXTRANET").getDomAttribute("data-trend-points")).isEqualTo("0");
	}

}
