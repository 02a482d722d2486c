package io.seatkeeper.journey;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.seatkeeper.Pools;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A people administrator's journeys (the built-in administrator, who holds the role):
 * adding users until the pool is full, freeing a licence, uploading and exporting.
 */
class PeopleJourneyTests extends Journey {

	@Test
	void addsUsersUntilThePoolIsFullThenBlocksOneAndAddsAgain() {
		signInAsSysadmin();
		addUser("alice");
		addUser("bob");
		addUser("carol");
		assertThat(browser.text()).contains("Profile carol added.");

		addUser("dave");

		assertThat(browser.text("license-refusal"))
			.contains("No licence is free in the Primary pool (Max_Users = 3, 3 active)")
			.contains("Purchase more licences")
			.contains("Block or delete profiles that are not needed");
		accessibleAtBothWidths();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(3);

		visit("/admin/people?q=bob");
		browser.click("bob");
		accessibleAtBothWidths();
		browser.click("block");
		assertThat(browser.text()).contains("Profile bob blocked; its licence is free.");

		addUser("dave");
		assertThat(browser.text()).contains("Profile dave added.");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(3);
		assertThat(Pools.activeRows(this.jdbc, "PRIMARY")).isEqualTo(3);
	}

	@Test
	void uploadsACsvReadsThePreviewConfirmsAndWatchesTheProgress() throws Exception {
		this.jdbc.update("update license_pool set max_users = 10 where pool = 'PRIMARY'");
		Path csv = Files.createTempDirectory("upload-").resolve("new-people.csv");
		Files.writeString(csv, "username,email,first_name,last_name,area\n" + "erin,erin@example.org,Erin,E,\n"
				+ "frank,frank@example.org,Frank,F,\n" + "grace,grace@example.org,Grace,G,\n" + "bad name,nope,,,\n",
				StandardCharsets.UTF_8);
		signInAsSysadmin();
		visit("/admin/people/import");

		browser.field("CSV file").sendKeys(csv.toAbsolutePath().toString());
		browser.click("Upload and preview");

		assertThat(browser.path()).startsWith("/admin/people/import/");
		assertThat(browser.text("count-CREATE")).isEqualTo("Will be created: 3");
		assertThat(browser.text("count-INVALID")).isEqualTo("Invalid: 1");
		assertThat(browser.text("need-PRIMARY")).contains("Max_Users 3 10");
		accessibleAtBothWidths();
		browser.screenshot(SCREENSHOTS.resolve("upload-preview.png"));

		browser.click("Confirm and import");

		browser.waitFor((driver) -> !driver.findElements(By.id("import-status")).isEmpty());
		assertThat(browser.text("import-status")).isEqualTo("The import is complete: 3 profiles created.");
		assertThat(browser.text("count-created")).isEqualTo("Created: 3");
		accessibleAtBothWidths();
		assertThat(Pools.activeRows(this.jdbc, "PRIMARY")).isEqualTo(3);
		Files.deleteIfExists(csv);
		Files.deleteIfExists(csv.getParent());
	}

	@Test
	void exportsWithAccountStateAndReadsTheDownloadedFile() throws Exception {
		aProfile("alice");
		long bob = aProfile("bob");
		this.people.block(bob, "admin");
		signInAsSysadmin();
		visit("/admin/people/export");

		browser.check("Account state", true);
		browser.press("download");

		Path file = browser.waitForDownload("people-");
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		assertThat(lines.get(0)).endsWith("Username,First name,Last name,E-mail,Area,Account state,Uses licence");
		assertThat(lines).contains("alice,First,Last,alice@example.org,Primary Area,Yes,Yes",
				"bob,First,Last,bob@example.org,Primary Area,No,No");
	}

	private void addUser(String username) {
		visit("/admin/people/new");
		browser.fill("Username", username)
			.fill("E-mail", username + "@example.org")
			.fill("First name", "First")
			.fill("Last name", "Last")
			.click("Add user");
	}

}
