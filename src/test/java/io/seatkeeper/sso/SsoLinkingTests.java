package io.seatkeeper.sso;

import java.util.List;
import java.util.Map;

import io.seatkeeper.Pools;
import io.seatkeeper.people.NewProfile;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileSource;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code seatkeeper.sso.allow-linking}, a first sign-in takes over an existing local
 * or directory profile with the same username, once, and never the built-in
 * administrator.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "seatkeeper.sso.allow-linking=true")
class SsoLinkingTests {

	static final MockOAuth2Server provider = new MockOAuth2Server();

	@DynamicPropertySource
	static void provider(DynamicPropertyRegistry registry) {
		provider.start();
		OidcFlow.register(registry, provider);
	}

	@AfterAll
	static void stopProvider() {
		provider.shutdown();
	}

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	PeopleService people;

	@BeforeEach
	void startFromKnownState() {
		Pools.reset(this.jdbc, 10, 5);
		this.jdbc.update("delete from audit_event");
	}

	@Test
	void linksTheLocalProfileWithTheSameUsernameAndKeepsItWhenTheUsernameClaimChanges() throws Exception {
		// Linked, the profile takes the provider's e-mail address and names, as at every
		// sign-in.
		long id = aLocalProfile("jane").id();
		OidcFlow browser = new OidcFlow(this.port);

		assertThat(browser.signIn(provider, OidcFlow.token("sub-jane", claims("Jane")), "corporate")).isEqualTo("/");

		assertThat(browser.page("/").body()).contains("jane@corporate.example").contains("Jane Doe");
		assertThat(
				this.jdbc.queryForObject("select profile_id from sso_identity where subject = 'sub-jane'", Long.class))
			.isEqualTo(id);
		assertThat(audit("SSO_IDENTITY_LINKED")).containsExactly("jane");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);

		OidcFlow later = new OidcFlow(this.port);
		assertThat(later.signIn(provider, OidcFlow.token("sub-jane", claims("jane.doe")), "corporate")).isEqualTo("/");
		assertThat(later.page("/").body()).contains("jane@corporate.example");
		assertThat(this.jdbc.queryForObject("select count(*) from profile where built_in = false", Integer.class))
			.isEqualTo(1);
		assertThat(this.jdbc.queryForObject("select count(*) from sso_identity", Integer.class)).isEqualTo(1);
	}

	@Test
	void neverLinksTheBuiltInAdministrator() throws Exception {
		OidcFlow browser = new OidcFlow(this.port);

		String landing = browser.signIn(provider, OidcFlow.token("sub-admin", claims("admin")), "corporate");

		assertThat(landing).isEqualTo("/login?sso-username-taken");
		assertThat(this.jdbc.queryForObject("select count(*) from sso_identity", Integer.class)).isZero();
		assertThat(browser.page("/admin/system").statusCode()).isEqualTo(302);
	}

	@Test
	void refusesABlockedProfileWithTheSameUsernameWithoutLinkingIt() throws Exception {
		this.people.block(aLocalProfile("jane").id(), "admin");
		OidcFlow browser = new OidcFlow(this.port);

		String landing = browser.signIn(provider, OidcFlow.token("sub-jane", claims("jane")), "corporate");

		assertThat(landing).isEqualTo("/login?sso-blocked");
		assertThat(this.jdbc.queryForObject("select count(*) from sso_identity", Integer.class)).isZero();
		assertThat(this.jdbc.queryForObject("select state from profile where username = 'jane'", String.class))
			.isEqualTo("BLOCKED");
	}

	private io.seatkeeper.people.ProfileView aLocalProfile(String username) {
		return this.people.create(new NewProfile(username, username + "@local.example", "Jane", "Local", null,
				"a-long-password", ProfileSource.LOCAL), "admin");
	}

	private List<String> audit(String action) {
		return this.jdbc.queryForList("select subject from audit_event where action = ?", String.class, action);
	}

	private static Map<String, Object> claims(String username) {
		return Map.of("preferred_username", username, "email", "jane@corporate.example", "given_name", "Jane",
				"family_name", "Doe");
	}

}
