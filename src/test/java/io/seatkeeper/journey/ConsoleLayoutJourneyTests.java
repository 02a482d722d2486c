package io.seatkeeper.journey;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.seatkeeper.NewProfiles;
import io.seatkeeper.people.AreaService;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

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

	@Test
	void everyPageIsAccessibleOnADesktopAndOnAPhone() throws Exception {
		List<String> pages = aBusyConsole();
		List<String> problems = new ArrayList<>();
		for (int width : new int[] { 1280, 390 }) {
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
		browser.width(1280);
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
		}
		browser.width(1280);
		assertThat(problems).as(String.join("\n", problems)).isEmpty();
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
