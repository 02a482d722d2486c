package io.seatkeeper.journey;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;

import io.seatkeeper.license.DevKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Licence keys through the pages: paste a key the vendor signed, read what it changes,
 * apply it and see the new totals; a key changed after signing is refused; a licence
 * request is filed and listed.
 */
class LicenseKeyJourneyTests extends Journey {

	@BeforeEach
	@AfterEach
	void evaluationLicence() {
		this.jdbc.update("delete from license_key");
		this.jdbc.update("delete from license_request");
		this.jdbc.update("update license_pool set expires_on = null");
	}

	@Test
	void appliesAKeyAfterReadingWhatItChanges() {
		aProfile("alice");
		signInAsSysadmin();
		visit("/admin/system/license");
		chartsDrawn();
		assertThat(browser.text("license-evaluation")).startsWith("No licence key has been applied");

		String key = DevKeys.sign(5001, DevKeys.LICENSEE, 10, 4, LocalDate.now().plusYears(1), null);
		browser.fill("Paste a licence key from the vendor", key).click("Check the key");

		assertThat(browser.path()).isEqualTo("/admin/system/license/key/preview");
		assertThat(browser.text()).contains("Key 5001 for Example Corp, issued " + LocalDate.now() + ".")
			.contains("It expires after " + LocalDate.now().plusYears(1) + ".");
		assertThat(browser.text("change-PRIMARY")).isEqualTo("Max_Users 3 10 1");
		assertThat(browser.text("change-EXTRANET")).isEqualTo("Max_extranet_users 2 4 0");
		accessibleAtBothWidths();

		browser.click("Apply the key");
		chartsDrawn();

		assertThat(browser.path()).isEqualTo("/admin/system/license");
		assertThat(browser.text()).contains("Licence key 5001 applied: Max_Users 10, Max_extranet_users 4.");
		assertThat(browser.text("pool-PRIMARY")).contains("Max_Users 10").contains("Active 1").contains("Available 9");
		assertThat(cell("serial")).isEqualTo("5001");
		assertThat(cell("licensee")).isEqualTo("Example Corp");
		assertThat(cell("expires")).isEqualTo(LocalDate.now().plusYears(1).toString());
		assertThat(browser.driver().findElements(By.id("license-evaluation"))).isEmpty();
		accessibleAtBothWidths();
	}

	@Test
	void refusesAKeyChangedAfterSigning() {
		String[] parts = DevKeys.sign(5002, 10, 4).split("\\.");
		String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		assertThat(claims).contains("\"Max_Users\":10,");
		String tampered = parts[0] + "." + Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(claims.replace("\"Max_Users\":10,", "\"Max_Users\":1000,").getBytes(StandardCharsets.UTF_8))
				+ "." + parts[2];
		signInAsSysadmin();
		visit("/admin/system/license");
		chartsDrawn();

		browser.fill("Paste a licence key from the vendor", tampered).click("Check the key");
		chartsDrawn();

		assertThat(browser.path()).isEqualTo("/admin/system/license");
		assertThat(browser.text()).contains("The licence key was refused: its signature is not the vendor's")
			.contains("Nothing was changed.");
		assertThat(browser.text("pool-PRIMARY")).contains("Max_Users 3");
		assertThat(browser.text("license-evaluation")).startsWith("No licence key has been applied");
		accessibleAtBothWidths();
	}

	@Test
	void filesALicenceRequestAndSeesItListed() {
		signInAsSysadmin();
		visit("/admin/system/license");
		chartsDrawn();

		browser.click("Licence requests");

		assertThat(browser.path()).isEqualTo("/admin/system/license/requests");
		assertThat(browser.text()).contains("No licence request has been filed.");
		accessibleAtBothWidths();

		browser.check("Add licences to a pool (at least 5)", true);
		new Select(browser.field("Pool that gets the licences")).selectByValue("PRIMARY");
		browser.fill("Number of licences", "7").fill("Comment for the vendor", "Seven more for the new office");
		browser.click("File the request");

		assertThat(browser.path()).isEqualTo("/admin/system/license/requests");
		assertThat(browser.text()).containsPattern("Licence request R-\\d+ filed");
		String row = browser.driver().findElement(By.cssSelector("#license-requests tbody tr")).getText();
		assertThat(row).contains("admin")
			.contains("Add 7 to Max_Users")
			.contains("Seven more for the new office")
			.contains("submitted");
		accessibleAtBothWidths();
	}

	private static String cell(String name) {
		return browser.driver().findElement(By.cssSelector("#license-key-details ." + name)).getText();
	}

}
