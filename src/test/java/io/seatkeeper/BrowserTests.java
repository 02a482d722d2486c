package io.seatkeeper;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The browser test support itself: axe-core finds what it must find, and passes what is
 * fine.
 */
@BrowserTest
class BrowserTests {

	static Browser browser;

	@BeforeAll
	static void start() {
		browser = Browser.start("http://localhost");
	}

	@AfterAll
	static void stop() {
		browser.close();
	}

	@Test
	void assertAccessibleListsSeriousViolations() {
		page("<!DOCTYPE html><html lang=\"en\"><head><title>t</title></head><body><main>"
				+ "<img src=\"x.png\"><input id=\"q\"><p style=\"color:#bbb;background:#fff\">faint</p></main></body></html>");

		assertThat(browser.violations()).extracting((violation) -> violation.get("id"))
			.contains("image-alt", "label", "color-contrast");
		assertThatThrownBy(browser::assertAccessible).isInstanceOf(AssertionError.class)
			.hasMessageContaining("image-alt")
			.hasMessageContaining("label");
	}

	@Test
	void assertAccessibleListsModerateViolationsToo() {
		page("<!DOCTYPE html><html lang=\"en\"><head><title>t</title></head><body><main><h1>Fine</h1></main>"
				+ "<p>Outside every landmark</p></body></html>");

		assertThat(browser.violations()).extracting((violation) -> violation.get("id")).contains("region");
		assertThatThrownBy(browser::assertAccessible).isInstanceOf(AssertionError.class)
			.hasMessageContaining("[moderate] region");
	}

	@Test
	void sidewaysScrollMeasuresWhatSticksOutOfTheWindow() {
		page("<!DOCTYPE html><html lang=\"en\"><head><title>t</title></head><body><main>"
				+ "<svg width=\"2000\" height=\"10\" id=\"wide\"></svg></main></body></html>");

		assertThat(browser.sidewaysScroll()).isPositive();
		assertThat(browser.sidewaysCulprits()).anyMatch((culprit) -> culprit.startsWith("svg#wide"));
	}

	@Test
	void assertAccessiblePassesALabelledPage() {
		page("<!DOCTYPE html><html lang=\"en\"><head><title>t</title></head><body><main><h1>Fine</h1>"
				+ "<label for=\"q\">Query</label><input id=\"q\"></main></body></html>");

		browser.assertAccessible();
		assertThat(browser.field("Query").getAttribute("id")).isEqualTo("q");
	}

	private static void page(String html) {
		browser.driver()
			.get("data:text/html;base64," + Base64.getEncoder().encodeToString(html.getBytes(StandardCharsets.UTF_8)));
		browser.waitForLoad();
	}

}
