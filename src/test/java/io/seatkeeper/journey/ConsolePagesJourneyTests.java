package io.seatkeeper.journey;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's pages that no other journey passes through, each opened as its users open
 * it and checked with axe-core: no serious or critical accessibility violation anywhere.
 * And every console page, under its Content-Security-Policy: nothing refused, the charts
 * drawn, the progress bars filled.
 */
class ConsolePagesJourneyTests extends Journey {

	@Test
	void theSignInPageIsAccessibleBeforeAnyoneSignsIn() {
		visit("/login");

		assertThat(browser.path()).isEqualTo("/login");
		assertThat(browser.text()).contains("Sign in");
	}

	@Test
	void theRemainingConsolePagesAreAccessible() {
		aProfile("olivia");
		signInAsSysadmin();

		visit("/");
		assertThat(browser.text()).contains("Your profile");
		visit("/admin/people");
		assertThat(browser.text()).contains("People").contains("olivia");
		visit("/admin/system/areas");
		assertThat(browser.path()).isEqualTo("/admin/system/areas");
		assertThat(browser.text()).contains("Primary Area");
		visit("/admin/system/audit");
		assertThat(browser.text()).contains("Audit log").contains("olivia");
		visit("/admin/system/mail");
		assertThat(browser.text()).contains("Mail outbox");
		visit("/admin/system/license/requests");
		assertThat(browser.path()).isEqualTo("/admin/system/license/requests");
		visit("/admin/system/directory");
		assertThat(browser.path()).isEqualTo("/admin/system/directory");
		visit("/admin/people/dormant");
		assertThat(browser.text()).contains("Dormant profiles").contains("Reclaim job");
	}

	@Test
	void everyConsolePageWorksUnderTheContentSecurityPolicy() {
		long olivia = aProfile("olivia");
		Long area = this.jdbc.queryForObject("select min(id) from area", Long.class);
		visit("/login");
		signInAsSysadmin();

		for (String page : List.of("/", "/admin/system", "/admin/system/license", "/admin/system/license/requests",
				"/admin/system/areas", "/admin/system/areas/" + area, "/admin/system/audit", "/admin/system/mail",
				"/admin/system/directory", "/admin/people", "/admin/people/new", "/admin/people/" + olivia,
				"/admin/people/export", "/admin/people/import", "/admin/people/999999", "/admin/people/dormant",
				"/admin/people/dormant?days=0")) {
			visit(page);
		}

		visit("/admin/system");
		WebElement bar = browser.driver().findElement(By.cssSelector("#glance-PRIMARY .progress-bar"));
		assertThat(script("return arguments[0].style.width", bar)).isEqualTo(bar.getDomAttribute("data-percent") + "%");
		assertThat(bar.getSize().getWidth()).isPositive();

		visit("/admin/system/license");
		chartsDrawn();
		List<WebElement> canvases = browser.driver().findElements(By.cssSelector("canvas.usage-chart-canvas"));
		assertThat(canvases).isNotEmpty().allSatisfy((canvas) -> {
			assertThat(canvas.getDomAttribute("data-rendered")).isEqualTo("last90");
			assertThat(script("return Chart.getChart(arguments[0]) != null", canvas)).isEqualTo(true);
			assertThat(canvas.getSize().getHeight()).isPositive();
		});
		browser.assertNoPolicyViolations();

		// The policy is in force: an inline style is refused, and Chromium says so.
		script("const style = document.createElement('style'); style.textContent = 'body { color: red; }';"
				+ " document.head.appendChild(style);");
		browser.waitFor((driver) -> !browser.policyViolations().isEmpty());
	}

	private static Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) browser.driver()).executeScript(script, arguments);
	}

}
