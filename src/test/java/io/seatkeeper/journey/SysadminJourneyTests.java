package io.seatkeeper.journey;

import io.seatkeeper.Browser;
import io.seatkeeper.Pools;
import io.seatkeeper.TestDatabase.OnPostgreSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The system administrator's journey through the console in a real browser, against the
 * application on a random port and PostgreSQL.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "seatkeeper.admin.password=" + SysadminJourneyTests.ADMIN_PASSWORD)
@OnPostgreSql
@Tag("browser")
class SysadminJourneyTests {

	static final String ADMIN_PASSWORD = "journey-admin-secret";

	static Browser browser;

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeAll
	static void noBrowserYet() {
		browser = null;
	}

	@AfterAll
	static void closeBrowser() {
		if (browser != null) {
			browser.close();
		}
	}

	@BeforeEach
	void signedInAsSysadmin() {
		Pools.reset(this.jdbc, 3, 2);
		if (browser == null) {
			browser = Browser.start("http://localhost:" + this.port);
		}
		browser.forgetSession();
		browser.signIn("admin", ADMIN_PASSWORD);
	}

	@Test
	void readsTheLicensePageAndExpandsViewAll() {
		browser.open("/admin/system/license").assertAccessible();

		assertThat(browser.text("pool-PRIMARY")).contains("Max_Users 3").contains("Active 0").contains("Available 3");
		assertThat(browser.driver().findElement(By.id("pool-EXTRANET")).isDisplayed()).isFalse();

		browser.click("View all");

		browser.waitFor((driver) -> driver.findElement(By.id("extranet-licenses"))
			.getDomAttribute("class")
			.matches(".*\\bshow\\b.*"));
		assertThat(browser.text("pool-EXTRANET")).contains("Max_extranet_users 2").contains("Available 2");
		browser.assertAccessible();
	}

}
