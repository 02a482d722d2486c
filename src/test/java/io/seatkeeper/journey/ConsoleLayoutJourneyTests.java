package io.seatkeeper.journey;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.seatkeeper.NewProfiles;
import io.seatkeeper.license.LicenseRequests;
import io.seatkeeper.license.Pool;
import io.seatkeeper.people.AreaService;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every console page, as a desktop (1280 px) and a phone (390 px) shows it: axe-core
 * finds no violation of any impact at either width, and at 360 px no page scrolls
 * sideways.
 */
class ConsoleLayoutJourneyTests extends Journey {

	@Autowired
	AreaService areas;

	@Autowired
	LicenseRequests requests;

	@Test
	void everyPageIsAccessibleOnADesktopAndOnAPhone() throws Exception {
		List<String> pages = aBusyConsole();
		List<String> problems = new ArrayList<>();
		for (int width : new int[] { DESKTOP, PHONE }) {
			browser.width(width);
			for (String page : pages) {
				browser.open(page);
				chartsDrawn();
				List<Map<String, Object>> violations = browser.violations();
				if (!violations.isEmpty()) {
					problems.add(width + " px " + page + ":\n"
							+ violations.stream()
								.map((violation) -> "  - [" + violation.get("impact") + "] " + violation.get("id")
										+ ": " + violation.get("help") + " at " + violation.get("nodes"))
								.collect(Collectors.joining("\n")));
				}
			}
		}
		browser.width(DESKTOP);
		assertThat(problems).as(String.join("\n", problems)).isEmpty();
	}

	@Test
	void noPageScrollsSidewaysAt360Pixels() throws Exception {
		List<String> pages = aBusyConsole();
		List<String> problems = new ArrayList<>();
		browser.width(360);
		for (String page : pages) {
			browser.open(page);
			chartsDrawn();
			int overflow = browser.sidewaysScroll();
			if (overflow > 0) {
				problems.add(page + " scrolls " + overflow + " px: " + browser.sidewaysCulprits());
			}
			if (page.equals("/admin/people")) {
				browser.screenshot(SCREENSHOTS.resolve("people-phone.png"));
			}
		}
		browser.width(DESKTOP);
		assertThat(problems).as(String.join("\n", problems)).isEmpty();
	}

	@Test
	void theSignInPagesAreAccessibleOnADesktopAndOnAPhone() {
		// A dormant profile, blocked as the reclaim job leaves it, that signs in while
		// the
		// Primary pool (3 licences in the journeys) is full: it is queued and shown its
		// place.
		aProfile("anna");
		aProfile("ben");
		long dana = aProfile("dana");
		this.jdbc.update(
				"update profile set state = 'BLOCKED', block_reason = 'DORMANT', blocked_at = ?, "
						+ "last_sign_in_at = ? where id = ?",
				Timestamp.from(Instant.now()), Timestamp.from(Instant.now().minus(Duration.ofDays(200))), dana);
		this.jdbc.update("update license_pool set active_count = active_count - 1 where pool = 'PRIMARY'");
		aProfile("carl");

		for (String page : List.of("/login", "/login?error", "/login?blocked", "/login?logout")) {
			visit(page);
		}
		browser.signIn("dana", PASSWORD);

		assertThat(browser.path()).isEqualTo("/login/awaiting");
		assertThat(browser.text()).contains("dana");
		accessibleAtBothWidths();
	}

	@Test
	void onAPhoneTheNavigationOpensFromItsButtonAndMarksTheCurrentPage() {
		signInAsSysadmin();
		browser.width(PHONE);
		visit("/admin/system");
		browser.width(PHONE);

		WebElement toggler = browser.driver().findElement(By.cssSelector(".navbar-toggler"));
		assertThat(toggler.isDisplayed()).isTrue();
		assertThat(toggler.getDomAttribute("aria-expanded")).isEqualTo("false");
		assertThat(toggler.getDomAttribute("aria-label")).isEqualTo("Show or hide the navigation");
		assertThat(navLink("License").isDisplayed()).isFalse();
		assertThat(navLink("System").getDomAttribute("aria-current")).isEqualTo("page");

		toggler.click();
		browser.waitFor((driver) -> navLink("License").isDisplayed());
		assertThat(toggler.getDomAttribute("aria-expanded")).isEqualTo("true");
		assertThat(browser.text()).contains("Signed in as admin").contains("Sign out");
		browser.assertAccessible();
		browser.screenshot(SCREENSHOTS.resolve("navigation-phone.png"));

		browser.click("License");

		assertThat(browser.path()).isEqualTo("/admin/system/license");
		assertThat(navLink("License").getDomAttribute("aria-current")).isEqualTo("page");
		assertThat(navLink("System").getDomAttribute("aria-current")).isNull();
		assertThat(browser.driver().findElements(By.cssSelector(".breadcrumb li"))).extracting(WebElement::getText)
			.containsExactly("Admin", "System", "License");
		browser.open("/admin/system/license/requests");
		assertThat(navLink("License").getDomAttribute("aria-current")).as("a page below License").isEqualTo("true");
		assertThat(browser.sidewaysScroll()).isZero();
		browser.width(DESKTOP);
	}

	@Test
	void everyControlAndLinkShowsItsFocusOnLightAndDarkBackgrounds() {
		aProfile("olivia");
		signInAsSysadmin();
		for (String page : List.of("/admin/people", "/admin/system/license")) {
			browser.open(page);
			List<String> unmarked = new ArrayList<>();
			int checked = 0;
			for (int i = 0; i < 30; i++) {
				new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
				WebElement focused = browser.driver().switchTo().activeElement();
				if ("body".equalsIgnoreCase(focused.getTagName())) {
					// The document itself, before the first control.
					continue;
				}
				checked++;
				Map<String, Object> ring = focusRing(focused);
				boolean dark = Boolean.TRUE.equals(ring.get("dark"));
				String expected = dark ? "rgb(255, 218, 106)" : "rgb(10, 88, 202)";
				if (!"solid".equals(ring.get("style")) || ((Number) ring.get("width")).doubleValue() < 2
						|| !expected.equals(ring.get("color"))) {
					unmarked.add(ring.toString());
				}
			}
			assertThat(unmarked).as(page).isEmpty();
			assertThat(checked).as(page).isGreaterThan(20);
		}
	}

	@Test
	void theFaviconIsServed() {
		browser.open("/login");

		Object status = ((JavascriptExecutor) browser.driver())
			.executeAsyncScript("const done = arguments[arguments.length - 1];"
					+ " Promise.all(['/favicon.svg', '/favicon.ico'].map(u => fetch(u).then(r => r.status)))"
					+ ".then(done).catch(e => done(String(e)));");
		assertThat(status).isEqualTo(List.of(200L, 200L));
		assertThat(browser.driver().findElements(By.cssSelector("link[rel=icon]"))).hasSize(2);
	}

	private static WebElement navLink(String text) {
		String path = switch (text) {
			case "System" -> "/admin/system";
			case "License" -> "/admin/system/license";
			default -> throw new IllegalArgumentException(text);
		};
		return browser.driver().findElement(By.cssSelector("#console-nav a[href='" + path + "']"));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> focusRing(WebElement element) {
		return (Map<String, Object>) ((JavascriptExecutor) browser.driver()).executeScript(
				"""
						const e = arguments[0];
						const style = getComputedStyle(e);
						return { element: e.tagName + (e.id ? '#' + e.id : '') + ' ' + (e.textContent || '').trim().substring(0, 30),
						  style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor,
						  dark: e.closest('[data-bs-theme=dark]') !== null };
						""",
				element);
	}

	/**
	 * A console with something on every page: a full Primary pool with a queue, an
	 * Extranet area, a blocked profile, an upload's report; signed in as the sysadmin.
	 * Returns the pages to visit.
	 */
	private List<String> aBusyConsole() throws Exception {
		long olivia = aProfile("olivia");
		aProfile("peter");
		long blocked = aProfile("quentin");
		this.people.block(blocked, "admin");
		aProfile("rachel");
		this.people.provisionOrQueue(NewProfiles.aProfile("sam"), "directory", (profile) -> {
		});
		this.people.provisionOrQueue(NewProfiles.aProfile("tina"), "directory", (profile) -> {
		});
		long partners = this.areas.createExtranet("Partners", "admin").id();
		this.people.create(NewProfiles.aProfile("ursula", partners), "admin");
		this.requests.file(LicenseRequests.Kind.ADD, Pool.PRIMARY, 10, "For the new office", "admin");
		signInAsSysadmin();
		String report = anUploadReport();
		return List.of("/", "/admin/system", "/admin/system/license", "/admin/system/license/requests",
				"/admin/system/areas", "/admin/system/areas/" + partners, "/admin/system/audit", "/admin/system/mail",
				"/admin/system/directory", "/admin/system/tokens", "/admin/people", "/admin/people/new",
				"/admin/people/" + olivia, "/admin/people/" + blocked, "/admin/people/export", "/admin/people/import",
				report, "/admin/people/999999", "/admin/people/dormant", "/admin/people/dormant?days=0");
	}

	private String anUploadReport() throws Exception {
		Path csv = Files.createTempDirectory("upload-").resolve("more-people.csv");
		Files.writeString(csv, "username,email,first_name,last_name,area\n" + "vera,vera@example.org,Vera,V,\n"
				+ "will,will@example.org,Will,W,\n" + "bad name,nope,,,\n", StandardCharsets.UTF_8);
		browser.open("/admin/people/import");
		browser.field("CSV file").sendKeys(csv.toAbsolutePath().toString());
		browser.click("Upload and preview");
		String preview = browser.path();
		browser.click("Confirm and import");
		browser.waitFor((driver) -> !driver.findElements(By.id("import-status")).isEmpty());
		Files.deleteIfExists(csv);
		Files.deleteIfExists(csv.getParent());
		return preview;
	}

}
