package io.seatkeeper.sso;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.seatkeeper.Pools;
import io.seatkeeper.people.AwaitingQueue;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.license.Pool;
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
import org.springframework.web.util.HtmlUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code seatkeeper.sso.when-full=queue}, through a real OpenID Connect provider
 * (mock-oauth2-server): a first sign-in with the pool full creates the profile awaiting a
 * licence at the end of the one queue and tells the person their place instead of a
 * refusal; signing in again while it waits says the same; once the queue lets it in, the
 * next sign-in signs in.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "seatkeeper.sso.when-full=queue")
class SsoQueueTests {

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

	@Autowired
	AwaitingQueue queue;

	@Autowired
	MessageSource messages;

	@BeforeEach
	void fullPool() {
		Pools.reset(this.jdbc, 1, 5);
		this.jdbc.update("update directory_settings set activate_when_free = false");
		this.people.create(io.seatkeeper.NewProfiles.aProfile("holder"), "test");
	}

	@Test
	void aFirstSignInWithThePoolFullWaitsInTheQueueAndIsToldItsPlace() throws Exception {
		OidcFlow first = new OidcFlow(this.port);
		assertThat(first.signIn(provider, OidcFlow.token("sub-ann", person("ann")), "corporate"))
			.isEqualTo("/login?sso-awaiting=1");
		OidcFlow second = new OidcFlow(this.port);
		String landing = second.signIn(provider, OidcFlow.token("sub-ben", person("ben")), "corporate");

		assertThat(landing).isEqualTo("/login?sso-awaiting=2");
		assertThat(second.page(landing).body()).contains(text("sso.awaiting"))
			.contains(text("sso.awaiting.position", "2"))
			.contains("id=\"sso-awaiting-position\"");
		assertThat(second.page("/").statusCode()).isEqualTo(302);
		Map<String, Object> ben = this.jdbc
			.queryForMap("select state, block_reason, source, pool from profile where username = 'ben'");
		assertThat(ben).containsEntry("STATE", "BLOCKED")
			.containsEntry("BLOCK_REASON", "AWAITING_LICENSE")
			.containsEntry("SOURCE", "SSO")
			.containsEntry("POOL", "PRIMARY");
		assertThat(
				this.jdbc.queryForObject("select count(*) from sso_identity where subject = 'sub-ben'", Integer.class))
			.isEqualTo(1);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
		assertThat(audit("SSO_SIGN_IN_REFUSED", "ben")).singleElement().asString().contains("number 2 in the queue");

		// Signing in again while waiting: the same page, the same place, nothing new.
		assertThat(new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-ben", person("ben")), "corporate"))
			.isEqualTo("/login?sso-awaiting=2");
		assertThat(this.jdbc.queryForObject("select count(*) from profile where username = 'ben'", Integer.class))
			.isEqualTo(1);

		// A licence is freed and the queue let in: ann first, then ben signs in once his
		// turn comes.
		this.people.block(id("holder"), "test");
		assertThat(this.queue.activate(Pool.PRIMARY, 10, "test")).isEqualTo(1);
		assertThat(new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-ann", person("ann")), "corporate"))
			.isEqualTo("/");
		assertThat(new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-ben", person("ben")), "corporate"))
			.isEqualTo("/login?sso-awaiting=1");
	}

	@Test
	void aPlaceThatIsNotANumberIsNotShown() throws Exception {
		String page = new OidcFlow(this.port).page("/login?sso-awaiting=%3Cb%3Eone%3C/b%3E").body();

		assertThat(page).contains(text("sso.awaiting")).doesNotContain("sso-awaiting-position").doesNotContain("<b>");
	}

	private long id(String username) {
		return this.jdbc.queryForObject("select id from profile where username = ?", Long.class, username);
	}

	private List<String> audit(String action, String subject) {
		return this.jdbc.queryForList("select details from audit_event where action = ? and subject = ?", String.class,
				action, subject);
	}

	private String text(String code, Object... arguments) {
		return HtmlUtils.htmlEscape(this.messages.getMessage(code, arguments, Locale.ENGLISH));
	}

	private static Map<String, Object> person(String username) {
		Map<String, Object> claims = new HashMap<>();
		claims.put("preferred_username", username);
		claims.put("email", username + "@example.org");
		claims.put("given_name", username);
		claims.put("family_name", "Doe");
		return claims;
	}

}
