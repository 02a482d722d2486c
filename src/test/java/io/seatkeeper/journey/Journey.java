package io.seatkeeper.journey;

import java.nio.file.Path;

import io.seatkeeper.NewProfiles;
import io.seatkeeper.Browser;
import io.seatkeeper.BrowserTest;
import io.seatkeeper.Pools;
import io.seatkeeper.TestDatabase.OnPostgreSql;
import io.seatkeeper.people.PeopleService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A journey through the console in a real browser: the whole application on a random port
 * and the embedded PostgreSQL, one application context for every journey class and one
 * browser per class. Every console page a journey visits is checked with axe-core as a
 * desktop (1280 px) and a phone (390 px) show it, with no violation of any impact, and
 * every journey ends without anything refused by the Content-Security-Policy.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "seatkeeper.admin.password=" + Journey.ADMIN_PASSWORD,
				"seatkeeper.usage.first-snapshot-after=1h",
				// The development vendor key's public half (src/test/resources/license),
				// so
				// that keys signed with DevKeys can be applied.
				"seatkeeper.license.vendor-public-key=MCowBQYDK2VwAyEA4ie8nXQAIXrfVwvIPN/5aZTDEjBE/R34fZppvNNzVIA=" })
@OnPostgreSql
@BrowserTest
abstract class Journey {

	static final String ADMIN_PASSWORD = "journey-admin-secret";

	static final String PASSWORD = "journey-password-1";

	/** A desktop's width, at which every journey runs. */
	static final int DESKTOP = 1280;

	/** A phone's width, at which every page a journey visits is checked too. */
	static final int PHONE = 390;

	/** The narrowest phone's width, at which no page may scroll sideways. */
	static final int NARROWEST = 360;

	/** Where the screenshots the README shows are saved. */
	static final Path SCREENSHOTS = Path.of("docs/screenshots");

	static Browser browser;

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	PeopleService people;

	@BeforeEach
	void startFromKnownState() {
		Pools.reset(this.jdbc, 3, 2);
		this.jdbc.update("delete from usage_day");
		this.jdbc.update("update usage_peak set peak_active = 0, peak_date = null");
		if (browser == null) {
			browser = Browser.start("http://localhost:" + this.port);
		}
		browser.forgetSession();
		browser.width(DESKTOP);
	}

	@AfterEach
	void nothingRefusedByThePolicy() {
		if (browser != null) {
			browser.assertNoPolicyViolations();
		}
	}

	@AfterAll
	static void closeBrowser() {
		if (browser != null) {
			browser.close();
			browser = null;
		}
	}

	/**
	 * Opens a console page and checks it with axe-core at the desktop's and at the
	 * phone's width, and for anything the Content-Security-Policy refused; the journey
	 * goes on at the desktop's width.
	 */
	static Browser visit(String path) {
		browser.open(path).assertAccessible().assertNoPolicyViolations();
		onAPhone();
		return browser.width(DESKTOP).assertNoPolicyViolations();
	}

	/**
	 * Checks the page the journey stands on with axe-core at the desktop's and at the
	 * phone's width (a page reached by a form, which cannot be opened by its path); the
	 * journey goes on at the desktop's width.
	 */
	static Browser accessibleAtBothWidths() {
		browser.assertAccessible();
		onAPhone();
		return browser.width(DESKTOP);
	}

	/**
	 * The page at the phone's width passes axe-core, and at the narrowest phone's (360
	 * px) it does not scroll sideways.
	 */
	private static void onAPhone() {
		browser.width(PHONE).assertAccessible();
		browser.width(NARROWEST);
		int overflow = browser.sidewaysScroll();
		assertThat(overflow)
			.as("%s scrolls sideways at %d px: %s", browser.path(), NARROWEST,
					(overflow > 0) ? browser.sidewaysCulprits() : "")
			.isZero();
	}

	/**
	 * Waits until every usage chart on the page has been drawn (the page's layout is then
	 * settled).
	 */
	static void chartsDrawn() {
		browser.waitFor((driver) -> driver.findElements(By.cssSelector("canvas.usage-chart-canvas"))
			.stream()
			.allMatch((canvas) -> {
				String rendered = canvas.getDomAttribute("data-rendered");
				return rendered != null && !rendered.isEmpty();
			}));
	}

	static void signInAsSysadmin() {
		browser.signIn("admin", ADMIN_PASSWORD);
	}

	/**
	 * An active profile in the Primary area that can sign in with {@link #PASSWORD}.
	 */
	long aProfile(String username) {
		return this.people.create(NewProfiles.aProfile(username, null, PASSWORD), "admin").id();
	}

}
