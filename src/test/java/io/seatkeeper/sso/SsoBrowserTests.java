package io.seatkeeper.sso;

import java.util.Locale;
import java.util.Map;

import io.seatkeeper.Browser;
import io.seatkeeper.BrowserTest;
import io.seatkeeper.Pools;
import io.seatkeeper.TestDatabase.OnPostgreSql;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on in a real browser (headless Chromium) against a real provider: the
 * sign-in page's button, the first sign-in that creates the profile, and the page of a
 * first sign-in refused because no licence is free. On PostgreSQL, as every browser
 * journey.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@OnPostgreSql
@BrowserTest
class SsoBrowserTests {

	static final MockOAuth2Server provider = new MockOAuth2Server();

	static Browser browser;

	@DynamicPropertySource
	static void provider(DynamicPropertyRegistry registry) {
		provider.start();
		OidcFlow.register(registry, provider);
	}

	@AfterAll
	static void stop() {
		if (browser != null) {
			browser.close();
		}
		provider.shutdown();
	}

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MessageSource messages;

	@BeforeEach
	void freshBrowser() {
		Pools.reset(this.jdbc, 10, 5);
		if (browser == null) {
			browser = Browser.start("http://localhost:" + this.port);
		}
		browser.forgetSession();
	}

	@Test
	void firstSignInThroughTheProviderCreatesTheProfileAndShowsIt() {
		provider.enqueueCallback(OidcFlow.token("sub-jane", Map.of("preferred_username", "jane", "email",
				"jane@example.org", "given_name", "Jane", "family_name", "Doe")));

		browser.open("/login").assertAccessible();
		browser.click(text("sso.signInWith", "Corporate Account"));
		browser.waitFor((driver) -> "/".equals(browser.path()));
		browser.waitForText("jane@example.org");
		// The round trip through the provider, under the console's policy, refused
		// nothing.
		browser.assertNoPolicyViolations();

		assertThat(browser.text("own-profile")).contains("jane").contains("Jane Doe");
		assertThat(this.jdbc.queryForObject("select state from profile where username = 'jane'", String.class))
			.isEqualTo("ACTIVE");
		browser.assertAccessible();
	}

	@Test
	void firstSignInWithThePoolFullShowsThatNoLicenseIsAvailable() {
		Pools.reset(this.jdbc, 0, 5);
		provider.enqueueCallback(OidcFlow.token("sub-john", Map.of("preferred_username", "john", "email",
				"john@example.org", "given_name", "John", "family_name", "Doe")));

		browser.open("/login");
		browser.click(text("sso.signInWith", "Corporate Account"));
		browser.waitFor((driver) -> browser.path().startsWith("/login?sso-no-license"));
		browser.waitForLoad();
		browser.assertNoPolicyViolations();

		assertThat(browser.text("sso-no-license")).contains(text("sso.noLicense"))
			.contains(text("sso.ask.administrators"));
		assertThat(this.jdbc.queryForObject("select count(*) from profile where username = 'john'", Integer.class))
			.isZero();
		browser.assertAccessible();
	}

	private String text(String code, Object... arguments) {
		return this.messages.getMessage(code, arguments, Locale.ENGLISH);
	}

}
