package io.seatkeeper.sso;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.seatkeeper.Outbox;
import io.seatkeeper.Pools;
import io.seatkeeper.notification.ResponsiblePerson;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.NewProfile;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileSource;
import io.seatkeeper.people.ProfileView;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
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
import static org.awaitility.Awaitility.await;

/**
 * Signing in through a real OpenID Connect provider (mock-oauth2-server on a random
 * port), the whole authorization-code flow over HTTP against Seatkeeper on a random port:
 * first sign-in through the gate (R4, R5), later sign-ins (the profile refreshed from the
 * claims), blocked profiles, the area claim, the username's fallback to the e-mail claim,
 * signing out (of the provider too), and the tokens and answers that must be refused.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "seatkeeper.sso.area-claim=groups",
		"seatkeeper.sso.areas.partners=Partners", "seatkeeper.sso.areas.suppliers=Suppliers" })
class SsoSignInTests {

	static final MockOAuth2Server provider = new MockOAuth2Server();

	static final String FORGER = "forger";

	@DynamicPropertySource
	static void provider(DynamicPropertyRegistry registry) {
		provider.start();
		OidcFlow.register(registry, provider);
		// A provider whose tokens are signed by another key than the one Seatkeeper
		// trusts.
		String forged = "spring.security.oauth2.client.registration.forged.";
		registry.add(forged + "client-id", () -> OidcFlow.CLIENT_ID);
		registry.add(forged + "client-secret", () -> "not-a-secret");
		registry.add(forged + "scope", () -> "openid,profile,email");
		registry.add(forged + "authorization-grant-type", () -> "authorization_code");
		registry.add(forged + "redirect-uri", () -> "{baseUrl}/login/oauth2/code/{registrationId}");
		String forgedProvider = "spring.security.oauth2.client.provider.forged.";
		registry.add(forgedProvider + "authorization-uri", () -> provider.authorizationEndpointUrl(FORGER).toString());
		registry.add(forgedProvider + "token-uri", () -> provider.tokenEndpointUrl(FORGER).toString());
		registry.add(forgedProvider + "user-info-uri", () -> provider.userInfoUrl(FORGER).toString());
		registry.add(forgedProvider + "user-name-attribute", () -> "sub");
		registry.add(forgedProvider + "jwk-set-uri", () -> provider.jwksUrl(OidcFlow.ISSUER).toString());
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
	AreaService areas;

	@Autowired
	ResponsiblePerson responsiblePerson;

	@Autowired
	MessageSource messages;

	@BeforeEach
	void startFromKnownState() {
		Pools.reset(this.jdbc, 10, 5);
		this.jdbc.update("delete from audit_event");
		this.responsiblePerson.change("", "admin");
	}

	@Test
	void showsASignInButtonForTheProviderBesideTheForm() throws Exception {
		String page = new OidcFlow(this.port).page("/login").body();

		assertThat(page).contains("name=\"password\"")
			.contains("href=\"/oauth2/authorization/corporate\"")
			.contains(text("sso.signInWith", "Corporate Account"));
	}

	@Test
	void firstSignInCreatesAnActiveProfileThroughTheGateAndSignsIn() throws Exception {
		OidcFlow browser = new OidcFlow(this.port);

		assertThat(browser.signIn(provider, OidcFlow.token("sub-jane", jane("jane@example.org")), "corporate"))
			.isEqualTo("/");

		assertThat(browser.page("/").body()).contains("jane@example.org").contains("Jane Doe");
		Map<String, Object> row = this.jdbc.queryForMap(
				"select state, source, pool, email, first_name, last_name, last_sign_in_at from profile where username = 'jane'");
		assertThat(row).containsEntry("STATE", "ACTIVE")
			.containsEntry("SOURCE", "SSO")
			.containsEntry("POOL", "PRIMARY")
			.containsEntry("FIRST_NAME", "Jane")
			.containsEntry("LAST_NAME", "Doe");
		assertThat(row.get("LAST_SIGN_IN_AT")).isNotNull();
		assertThat(identities("sub-jane")).isEqualTo(1);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
		assertThat(audit("PROFILE_CREATED", "jane")).singleElement().asString().contains("source=SSO");
	}

	@Test
	void laterSignInsReuseTheProfileAndRefreshItsEmailAndNamesFromTheClaims() throws Exception {
		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-jane", jane("jane@example.org")), "corporate");
		this.jdbc.update("update profile set last_sign_in_at = null where username = 'jane'");
		this.jdbc.update("delete from audit_event");

		OidcFlow browser = new OidcFlow(this.port);
		Map<String, Object> changed = jane("jane.doe@example.com");
		changed.put("preferred_username", "jane.doe");
		changed.put("family_name", "Doe-Smith");
		assertThat(browser.signIn(provider, OidcFlow.token("sub-jane", changed), "corporate")).isEqualTo("/");

		// The username stays: the person is known by the provider's subject.
		assertThat(browser.page("/").body()).contains("jane.doe@example.com").contains("Jane Doe-Smith");
		assertThat(this.jdbc.queryForMap("select email, first_name, last_name from profile where username = 'jane'"))
			.containsEntry("EMAIL", "jane.doe@example.com")
			.containsEntry("FIRST_NAME", "Jane")
			.containsEntry("LAST_NAME", "Doe-Smith");
		assertThat(this.jdbc.queryForObject("select count(*) from profile where built_in = false", Integer.class))
			.isEqualTo(1);
		assertThat(this.jdbc.queryForObject("select last_sign_in_at from profile where username = 'jane'",
				java.sql.Timestamp.class))
			.isNotNull();
		assertThat(identities("sub-jane")).isEqualTo(1);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
		assertThat(this.jdbc.queryForList("select actor, subject, details from audit_event where action = ?",
				"PROFILE_DETAILS_CHANGED"))
			.singleElement()
			.satisfies((line) -> assertThat(line).containsEntry("ACTOR", identity("sub-jane"))
				.containsEntry("SUBJECT", "jane")
				.containsEntry("DETAILS",
						"email=jane.doe@example.com (was jane@example.org), last name=Doe-Smith (was Doe)"));

		// The same claims again change nothing, and record nothing.
		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-jane", changed), "corporate");
		assertThat(audit("PROFILE_DETAILS_CHANGED")).hasSize(1);
	}

	@Test
	void claimsThatAreAbsentOrInvalidAtALaterSignInLeaveTheProfileAsItIs() throws Exception {
		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-jane", jane("jane@example.org")), "corporate");
		Map<String, Object> poor = jane("not an address");
		poor.remove("family_name");

		assertThat(new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-jane", poor), "corporate"))
			.isEqualTo("/");

		assertThat(this.jdbc.queryForMap("select email, last_name from profile where username = 'jane'"))
			.containsEntry("EMAIL", "jane@example.org")
			.containsEntry("LAST_NAME", "Doe");
		assertThat(audit("PROFILE_DETAILS_CHANGED")).isEmpty();
	}

	@Test
	void usernameClaimThatIsNotAValidUsernameFallsBackToTheEmailClaim() throws Exception {
		Map<String, Object> claims = jane("jane@example.org");
		claims.put("preferred_username", "Jane Doe (Sales)");

		assertThat(new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-jane", claims), "corporate"))
			.isEqualTo("/");

		assertThat(this.people.findByUsername("jane@example.org")).map(ProfileView::active).contains(true);
		assertThat(audit("PROFILE_CREATED", "jane@example.org")).singleElement().asString().contains("source=SSO");
	}

	@Test
	void signInWithNeitherAValidUsernameNorAnEmailClaimIsRefusedAndCreatesNothing() throws Exception {
		Map<String, Object> claims = jane("jane@example.org");
		claims.put("preferred_username", "Jane Doe");
		claims.remove("email");
		OidcFlow browser = new OidcFlow(this.port);

		String landing = browser.signIn(provider, OidcFlow.token("sub-jane", claims), "corporate");

		assertThat(landing).isEqualTo("/login?sso-invalid");
		assertThat(nothingCreated()).isTrue();
		assertThat(audit("SSO_SIGN_IN_REFUSED")).singleElement()
			.asString()
			.contains("reason=invalid")
			.contains("claimed username=Jane Doe")
			.contains("preferred_username");
	}

	@Test
	void signingOutEndsTheProviderSessionThroughItsEndSessionEndpoint() throws Exception {
		OidcFlow browser = new OidcFlow(this.port);
		browser.signIn(provider, OidcFlow.token("sub-jane", jane("jane@example.org")), "corporate");

		URI signedOut = browser.signOut();

		URI endSession = provider.endSessionEndpointUrl(OidcFlow.ISSUER).uri();
		assertThat(signedOut.getScheme() + "://" + signedOut.getRawAuthority() + signedOut.getRawPath())
			.isEqualTo(endSession.toString());
		Map<String, String> query = query(signedOut);
		assertThat(query).containsEntry("post_logout_redirect_uri",
				"http://localhost:" + this.port + SsoSignOut.SIGNED_OUT);
		assertThat(query.get("id_token_hint")).isNotBlank();
		assertThat(com.nimbusds.jwt.SignedJWT.parse(query.get("id_token_hint")).getJWTClaimsSet().getSubject())
			.isEqualTo("sub-jane");
		// The provider sends the browser back to the sign-in page, signed out of both.
		URI back = browser.redirectOf(signedOut);
		assertThat(back.toString()).isEqualTo("http://localhost:" + this.port + SsoSignOut.SIGNED_OUT);
		assertThat(browser.page("/").statusCode()).isEqualTo(302);
	}

	@Test
	void signingOutAfterARoleChangeStillEndsTheProviderSession() throws Exception {
		OidcFlow browser = new OidcFlow(this.port);
		browser.signIn(provider, OidcFlow.token("sub-jane", jane("jane@example.org")), "corporate");
		this.people.changeRoles(this.people.findByUsername("jane").orElseThrow().id(), true, false, "admin");
		// The next click takes the new role into the session.
		assertThat(browser.page("/admin/system").statusCode()).isEqualTo(200);

		URI signedOut = browser.signOut();

		assertThat(signedOut.getRawPath()).isEqualTo(provider.endSessionEndpointUrl(OidcFlow.ISSUER).encodedPath());
		assertThat(query(signedOut)).containsKeys("id_token_hint", "post_logout_redirect_uri");
	}

	@Test
	void signingOutOfAPasswordSessionStaysOnSeatkeeper() throws Exception {
		this.people.create(new NewProfile("jane", "jane@local.example", "Jane", "Local", null, "a-long-password",
				ProfileSource.LOCAL), "admin");
		OidcFlow browser = new OidcFlow(this.port);
		assertThat(browser.signInWithPassword("jane", "a-long-password")).isEqualTo("/");

		URI signedOut = browser.signOut();

		assertThat(signedOut.toString()).isEqualTo("http://localhost:" + this.port + SsoSignOut.SIGNED_OUT);
		assertThat(browser.page("/").statusCode()).isEqualTo(302);
	}

	@Test
	void firstSignInWithThePoolFullCreatesNothingAndSaysTheAdministratorsWereTold() throws Exception {
		Pools.reset(this.jdbc, 0, 5);
		Outbox.clear(this.jdbc);
		this.responsiblePerson.change("licences@example.org", "admin");
		OidcFlow browser = new OidcFlow(this.port);

		String landing = browser.signIn(provider, OidcFlow.token("sub-jane", jane("jane@example.org")), "corporate");

		assertThat(landing).isEqualTo("/login?sso-no-license");
		assertThat(browser.page(landing).body()).contains(text("sso.noLicense"))
			.contains(text("sso.ask.contact", "licences@example.org"));
		assertThat(this.jdbc.queryForObject("select count(*) from profile where built_in = false", Integer.class))
			.isZero();
		assertThat(this.jdbc.queryForObject("select count(*) from sso_identity", Integer.class)).isZero();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
		assertThat(audit("LICENSE_REFUSED", "jane")).singleElement()
			.asString()
			.contains("operation=" + SsoAccounts.OPERATION);
		assertThat(browser.page("/").statusCode()).isEqualTo(302);
		// The responsible person is told: the licence-limit mail is queued for them.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.jdbc.queryForList("select recipient from mail_outbox", String.class))
				.containsExactly("licences@example.org"));
	}

	@Test
	void blockedProfileIsRefusedWithAPageThatSaysWhomToAsk() throws Exception {
		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-jane", jane("jane@example.org")), "corporate");
		this.people.block(this.people.findByUsername("jane").orElseThrow().id(), "admin");
		this.responsiblePerson.change("licences@example.org", "admin");
		OidcFlow browser = new OidcFlow(this.port);

		String landing = browser.signIn(provider, OidcFlow.token("sub-jane", jane("jane@example.org")), "corporate");

		assertThat(landing).isEqualTo("/login?sso-blocked");
		assertThat(browser.page(landing).body()).contains(text("sso.blocked"))
			.contains(text("sso.ask.contact", "licences@example.org"));
		assertThat(browser.page("/").statusCode()).isEqualTo(302);
		assertThat(audit("SSO_SIGN_IN_REFUSED", "jane")).singleElement().asString().contains("reason=blocked");
		assertThat(this.jdbc.queryForObject("select state from profile where username = 'jane'", String.class))
			.isEqualTo("BLOCKED");
	}

	@Test
	void dormantProfileComesBackBySigningInThroughItsProvider() throws Exception {
		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-jane", jane("jane@example.org")), "corporate");
		long jane = this.people.findByUsername("jane").orElseThrow().id();
		makeDormant(jane);
		OidcFlow browser = new OidcFlow(this.port);

		assertThat(browser.signIn(provider, OidcFlow.token("sub-jane", jane("jane@example.org")), "corporate"))
			.isEqualTo("/");

		assertThat(browser.page("/").statusCode()).isEqualTo(200);
		assertThat(this.people.get(jane).active()).isTrue();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
	}

	@Test
	void dormantProfileSigningInThroughItsProviderWhileThePoolIsFullSeesItsPlace() throws Exception {
		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-jane", jane("jane@example.org")), "corporate");
		long jane = this.people.findByUsername("jane").orElseThrow().id();
		makeDormant(jane);
		this.jdbc.update("update license_pool set max_users = 0 where pool = 'PRIMARY'");
		OidcFlow browser = new OidcFlow(this.port);

		String landing = browser.signIn(provider, OidcFlow.token("sub-jane", jane("jane@example.org")), "corporate");

		assertThat(landing).isEqualTo("/login?sso-awaiting=1");
		assertThat(browser.page(landing).body()).contains("You are number 1 in the queue.");
		assertThat(browser.page("/").statusCode()).isEqualTo(302);
		assertThat(this.people.get(jane).blockReason()).isEqualTo(io.seatkeeper.people.BlockReason.AWAITING_LICENSE);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
	}

	/**
	 * As the reclaim job leaves a profile: blocked as dormant, its licence given back.
	 */
	private void makeDormant(long id) {
		this.jdbc.update("update profile set state = 'BLOCKED', block_reason = 'DORMANT', blocked_at = ? where id = ?",
				java.sql.Timestamp.from(java.time.Instant.now()), id);
		this.jdbc.update("update license_pool set active_count = active_count - 1 where pool = 'PRIMARY'");
	}

	@Test
	void sessionEndsAtTheNextClickWhenTheProfileIsBlocked() throws Exception {
		OidcFlow browser = new OidcFlow(this.port);
		browser.signIn(provider, OidcFlow.token("sub-jane", jane("jane@example.org")), "corporate");
		assertThat(browser.page("/").statusCode()).isEqualTo(200);

		this.people.block(this.people.findByUsername("jane").orElseThrow().id(), "admin");

		// Ended at its next click (/login?blocked), or already deleted after the block's
		// commit with every session of the profile (then the click is asked to sign in).
		HttpResponse<String> next = browser.page("/");
		assertThat(next.statusCode()).isEqualTo(302);
		assertThat(next.headers().firstValue("Location").orElseThrow()).matches(".*/login(\\?blocked)?");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.jdbc.queryForObject("select count(*) from spring_session where principal_name = 'jane'",
					Integer.class) == 0);
	}

	@Test
	void signedInProfileHoldsItsRoles() throws Exception {
		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-jane", jane("jane@example.org")), "corporate");
		this.people.changeRoles(this.people.findByUsername("jane").orElseThrow().id(), true, false, "admin");
		OidcFlow browser = new OidcFlow(this.port);

		browser.signIn(provider, OidcFlow.token("sub-jane", jane("jane@example.org")), "corporate");

		assertThat(browser.page("/admin/system").statusCode()).isEqualTo(200);
		assertThat(browser.page("/admin/people/new").statusCode()).isEqualTo(403);
	}

	@Test
	void areaClaimValueMappedToAnExtranetAreaPutsTheProfileThere() throws Exception {
		this.areas.createExtranet("Partners", "admin");
		Map<String, Object> claims = jane("jane@example.org");
		claims.put("groups", List.of("staff", "partners"));

		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-jane", claims), "corporate");

		assertThat(this.jdbc.queryForMap(
				"select a.name, p.pool from profile p join area a on a.id = p.area_id where p.username = 'jane'"))
			.containsEntry("NAME", "Partners")
			.containsEntry("POOL", "EXTRANET");
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(1);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
	}

	@Test
	void unknownAreaClaimValueOrAMappedAreaThatDoesNotExistFallsBackToThePrimaryArea() throws Exception {
		Map<String, Object> unknown = jane("jane@example.org");
		unknown.put("groups", "visitors");
		Map<String, Object> missingArea = jane("john@example.org");
		missingArea.put("preferred_username", "john");
		missingArea.put("groups", "suppliers");

		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-jane", unknown), "corporate");
		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-john", missingArea), "corporate");

		assertThat(this.jdbc.queryForList(
				"select a.kind from profile p join area a on a.id = p.area_id where p.username in ('jane', 'john')",
				String.class))
			.containsExactly("PRIMARY", "PRIMARY");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(2);
	}

	@Test
	void usernameOfALocalProfileIsNotTakenOverWhenLinkingIsNotAllowed() throws Exception {
		this.people.create(new NewProfile("jane", "jane@local.example", "Jane", "Local", null, "a-long-password",
				ProfileSource.LOCAL), "admin");
		OidcFlow browser = new OidcFlow(this.port);

		String landing = browser.signIn(provider, OidcFlow.token("sub-jane", jane("jane@example.org")), "corporate");

		assertThat(landing).isEqualTo("/login?sso-username-taken");
		assertThat(browser.page(landing).body()).contains(text("sso.usernameTaken"));
		assertThat(this.jdbc.queryForObject("select count(*) from sso_identity", Integer.class)).isZero();
		assertThat(audit("SSO_SIGN_IN_REFUSED")).singleElement()
			.asString()
			.contains("reason=username-taken")
			.contains("claimed username=jane");
	}

	@Test
	void missingUsernameFallsBackToTheEmailClaim() throws Exception {
		Map<String, Object> claims = jane("jane@example.org");
		claims.remove("preferred_username");

		assertThat(new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-jane", claims), "corporate"))
			.isEqualTo("/");

		assertThat(this.people.findByUsername("jane@example.org")).map(ProfileView::active).contains(true);
	}

	@Test
	void invalidClaimsAreRefusedWithAPageAndCreateNothing() throws Exception {
		Map<String, Object> claims = jane("not an address");
		OidcFlow browser = new OidcFlow(this.port);

		String landing = browser.signIn(provider, OidcFlow.token("sub-jane", claims), "corporate");

		assertThat(landing).isEqualTo("/login?sso-invalid");
		assertThat(browser.page(landing).body()).contains(text("sso.invalid"));
		assertThat(nothingCreated()).isTrue();
		assertThat(audit("SSO_SIGN_IN_REFUSED")).singleElement().asString().contains("email");
	}

	@Test
	void idTokenSignedByAnotherKeyIsRefused() throws Exception {
		OidcFlow browser = new OidcFlow(this.port);

		Map<String, Object> claims = jane("jane@example.org");
		claims.put("iss", provider.issuerUrl(OidcFlow.ISSUER).toString());

		String landing = browser.signIn(provider, OidcFlow.token(FORGER, "sub-jane", claims, 3600), "forged");

		assertThat(landing).isEqualTo("/login?sso-failed");
		assertThat(browser.page(landing).body()).contains(text("sso.failed"));
		assertThat(nothingCreated()).isTrue();
		assertThat(browser.page("/").statusCode()).isEqualTo(302);
		assertThat(failures()).singleElement()
			.satisfies((line) -> assertThat(line).containsEntry("ACTOR", "sso:forged")
				.extractingByKey("DETAILS")
				.asString()
				.contains("provider=forged")
				.contains("error=invalid_id_token"));
	}

	@Test
	void expiredIdTokenIsRefused() throws Exception {
		OidcFlow browser = new OidcFlow(this.port);

		// Issued two hours ago, expired ten minutes ago: past the allowed clock skew.
		Map<String, Object> claims = jane("jane@example.org");
		claims.put("iat", java.time.Instant.now().minusSeconds(7200).getEpochSecond());
		String landing = browser.signIn(provider, OidcFlow.token(OidcFlow.ISSUER, "sub-jane", claims, -600),
				"corporate");

		assertThat(landing).isEqualTo("/login?sso-failed");
		assertThat(nothingCreated()).isTrue();
		assertThat(browser.page("/").statusCode()).isEqualTo(302);
		assertThat(failureDetails()).singleElement()
			.asString()
			.contains("provider=corporate")
			.contains("error=invalid_id_token");
	}

	@Test
	void idTokenOfAnotherIssuerIsRefused() throws Exception {
		Map<String, Object> claims = jane("jane@example.org");
		claims.put("iss", provider.issuerUrl("elsewhere").toString());
		OidcFlow browser = new OidcFlow(this.port);

		String landing = browser.signIn(provider, OidcFlow.token("sub-jane", claims), "corporate");

		assertThat(landing).isEqualTo("/login?sso-failed");
		assertThat(nothingCreated()).isTrue();
		assertThat(failureDetails()).singleElement()
			.asString()
			.contains("provider=corporate")
			.contains("error=invalid_id_token");
	}

	@Test
	void idTokenForAnotherAudienceIsRefusedAndAudited() throws Exception {
		OidcFlow browser = new OidcFlow(this.port);
		// The provider makes the ID token's audience the client; an explicit claim wins.
		Map<String, Object> claims = jane("jane@example.org");
		claims.put("aud", List.of("another-client"));
		DefaultOAuth2TokenCallback otherAudience = new DefaultOAuth2TokenCallback(OidcFlow.ISSUER, "sub-jane", "JWT",
				List.of("another-client"), claims, 3600);

		String landing = browser.signIn(provider, otherAudience, "corporate");

		assertThat(landing).isEqualTo("/login?sso-failed");
		assertThat(nothingCreated()).isTrue();
		assertThat(failureDetails()).singleElement()
			.asString()
			.contains("provider=corporate")
			.contains("error=invalid_id_token");
	}

	@Test
	void answerWithAnotherStateIsRefused() throws Exception {
		OidcFlow browser = new OidcFlow(this.port);
		URI callback = browser.callback("corporate");
		URI tampered = URI.create(callback.toString().replaceAll("state=[^&]+", "state=forged-state"));
		assertThat(tampered).isNotEqualTo(callback);

		String landing = browser.follow(tampered);

		assertThat(landing).isEqualTo("/login?sso-failed");
		assertThat(nothingCreated()).isTrue();
		assertThat(browser.page("/").statusCode()).isEqualTo(302);
		assertThat(failureDetails()).singleElement()
			.asString()
			.contains("provider=corporate")
			.contains("error=authorization_request_not_found");
	}

	@Test
	void refusalNamesTheProviderIdentityAsTheActorAndTheClaimedUsernameOnlyAsADetail() throws Exception {
		Map<String, Object> claims = jane("mallory@example.org");
		claims.put("preferred_username", "ADMIN");
		OidcFlow browser = new OidcFlow(this.port);

		String landing = browser.signIn(provider, OidcFlow.token("sub-mallory", claims), "corporate");

		assertThat(landing).isEqualTo("/login?sso-username-taken");
		String issuer = provider.issuerUrl(OidcFlow.ISSUER).toString();
		assertThat(this.jdbc.queryForList("select actor, subject, details from audit_event")).singleElement()
			.satisfies((line) -> {
				assertThat(line.get("ACTOR")).isEqualTo(("sso:sub-mallory@" + issuer));
				assertThat(line.get("SUBJECT")).isNull();
				assertThat(line.get("DETAILS")).asString()
					.contains("issuer=" + issuer)
					.contains("subject=sub-mallory")
					.contains("claimed username=ADMIN")
					.contains("reason=username-taken");
			});
	}

	@Test
	void blockedRefusalNamesTheProviderIdentityAsTheActorAndTheProfileAsItsSubject() throws Exception {
		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-jane", jane("jane@example.org")), "corporate");
		this.people.block(this.people.findByUsername("jane").orElseThrow().id(), "admin");

		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-jane", jane("jane@example.org")), "corporate");

		assertThat(this.jdbc.queryForList("select actor from audit_event where action = 'SSO_SIGN_IN_REFUSED'",
				String.class))
			.containsExactly("sso:sub-jane@" + provider.issuerUrl(OidcFlow.ISSUER));
	}

	@Test
	void unknownProviderIsTheSignInPageWithAMessage() throws Exception {
		OidcFlow browser = new OidcFlow(this.port);

		HttpResponse<String> start = browser.page("/oauth2/authorization/no-such-provider");

		assertThat(start.statusCode()).isEqualTo(302);
		assertThat(start.headers().firstValue("Location").orElseThrow()).endsWith("/login?sso-unknown");
		HttpResponse<String> page = browser.page("/login?sso-unknown");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains(text("sso.unknown")).contains("href=\"/oauth2/authorization/corporate\"");
	}

	private String identity(String subject) {
		return "sso:" + subject + "@" + provider.issuerUrl(OidcFlow.ISSUER);
	}

	private static Map<String, String> query(URI uri) {
		Map<String, String> query = new java.util.HashMap<>();
		for (String pair : uri.getRawQuery().split("&")) {
			int equals = pair.indexOf('=');
			query.put(pair.substring(0, equals),
					java.net.URLDecoder.decode(pair.substring(equals + 1), java.nio.charset.StandardCharsets.UTF_8));
		}
		return query;
	}

	private boolean nothingCreated() {
		return this.jdbc.queryForObject("select count(*) from profile where built_in = false", Integer.class) == 0
				&& this.jdbc.queryForObject("select count(*) from sso_identity", Integer.class) == 0
				&& Pools.counter(this.jdbc, "PRIMARY") == 0;
	}

	private List<Map<String, Object>> failures() {
		return this.jdbc.queryForList("select actor, details from audit_event where action = 'SSO_SIGN_IN_FAILED'");
	}

	private List<String> failureDetails() {
		return audit("SSO_SIGN_IN_FAILED");
	}

	private List<String> audit(String action) {
		return this.jdbc.queryForList("select details from audit_event where action = ?", String.class, action);
	}

	private int identities(String subject) {
		return this.jdbc.queryForObject("select count(*) from sso_identity where subject = ?", Integer.class, subject);
	}

	private List<String> audit(String action, String subject) {
		return this.jdbc.queryForList("select details from audit_event where action = ? and subject = ?", String.class,
				action, subject);
	}

	private String text(String code, Object... arguments) {
		return HtmlUtils.htmlEscape(this.messages.getMessage(code, arguments, Locale.ENGLISH));
	}

	static Map<String, Object> jane(String email) {
		Map<String, Object> claims = new java.util.HashMap<>();
		claims.put("preferred_username", "jane");
		claims.put("email", email);
		claims.put("given_name", "Jane");
		claims.put("family_name", "Doe");
		return claims;
	}

}
