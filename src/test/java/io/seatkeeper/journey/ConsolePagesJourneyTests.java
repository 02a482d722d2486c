package io.seatkeeper.journey;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's pages that no other journey passes through, each opened as its users open
 * it and checked with axe-core: no serious or critical accessibility violation anywhere.
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
	}

}
