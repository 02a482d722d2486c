package io.seatkeeper.journey;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sysadmin follows the System page's link to the API's OpenAPI description and reads it
 * in its UI, under the console's Content-Security-Policy: the UI draws every operation,
 * opens one with its parameters and answers, and Chromium refuses nothing.
 */
class ApiDescriptionJourneyTests extends Journey {

	@Test
	void readsTheApiDescriptionFromTheSystemPage() {
		signInAsSysadmin();
		visit("/admin/system");

		browser.click("summary-api-ui");

		browser.waitFor((driver) -> driver.findElements(By.cssSelector(".swagger-ui .info .title"))
			.stream()
			.anyMatch((title) -> title.getText().contains("Seatkeeper API")));
		browser.waitFor((driver) -> driver.findElements(By.cssSelector(".opblock-summary-path"))
			.stream()
			.anyMatch((path) -> "/api/v1/profiles".equals(path.getText().strip())));
		assertThat(browser.driver().findElements(By.cssSelector(".opblock")).size()).isGreaterThanOrEqualTo(11);

		browser.driver()
			.findElements(By.cssSelector(".opblock-get .opblock-summary"))
			.stream()
			.filter((summary) -> summary.getText().contains("/api/v1/profiles") && summary.getText().contains("List"))
			.findFirst()
			.orElseThrow()
			.click();
		browser
			.waitFor((driver) -> driver.findElements(By.cssSelector(".opblock.is-open .parameters tr[data-param-name]"))
				.size() >= 6);
		assertThat(browser.text()).contains("dormantDays").contains("application/problem+json");
		browser.assertNoPolicyViolations();
	}

	@Test
	void keepsPeopleAdministratorsOutOfTheApiDescription() {
		long clerk = aProfile("clerk");
		this.people.changeRoles(clerk, false, true, "admin");
		browser.signIn("clerk", PASSWORD);

		browser.open("/swagger-ui/index.html");
		assertThat(browser.text()).doesNotContain("Seatkeeper API");
		browser.open("/v3/api-docs");
		assertThat(browser.text()).doesNotContain("openapi");
	}

}
