package io.seatkeeper.sso;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.seatkeeper.Pools;
import io.seatkeeper.people.AreaService;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mappings of the claims, through two real providers (two issuers of one
 * mock-oauth2-server) and the whole authorization-code flow over HTTP: the role claim
 * grants and takes away roles at each sign-in, audited and in force at the next click;
 * group values match ignoring case and Keycloak's paths; a value that maps nowhere is
 * logged once; the second provider has settings of its own
 * ({@code seatkeeper.sso.providers.partner.*}) and leaves the others to the global ones.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "seatkeeper.sso.area-claim=groups", "seatkeeper.sso.areas.PARTNERS=Partners",
				"seatkeeper.sso.areas.[/org/suppliers]=Suppliers", "seatkeeper.sso.role-claim=groups",
				"seatkeeper.sso.roles.[/Admins]=SYSADMIN", "seatkeeper.sso.roles.people-admins=PEOPLE_ADMIN",
				"seatkeeper.sso.roles.[/org/helpdesk]=PEOPLE_ADMIN", "seatkeeper.sso.roles.helpdesk=SYSADMIN",
				"seatkeeper.sso.roles.owners=SYSADMIN,PEOPLE_ADMIN",
				"seatkeeper.sso.providers.partner.area-claim=organisation",
				"seatkeeper.sso.providers.partner.areas.acme=Suppliers",
				"seatkeeper.sso.providers.partner.role-claim=realm_access.roles",
				"seatkeeper.sso.providers.partner.roles.partner-admin=PEOPLE_ADMIN",
				"seatkeeper.sso.providers.partner.refresh-profile=false" })
class SsoMappingTests {

	static final MockOAuth2Server provider = new MockOAuth2Server();

	static final String PARTNER = "partner";

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry registry) {
		provider.start();
		OidcFlow.register(registry, provider);
		String registration = "spring.security.oauth2.client.registration.partner.";
		registry.add(registration + "client-id", () -> OidcFlow.CLIENT_ID);
		registry.add(registration + "client-secret", () -> "not-a-secret");
		registry.add(registration + "client-name", () -> "Partner Account");
		registry.add(registration + "scope", () -> "openid,profile,email");
		registry.add("spring.security.oauth2.client.provider.partner.issuer-uri",
				() -> provider.issuerUrl(PARTNER).toString());
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
	AreaService areas;

	@BeforeEach
	void startFromKnownState() {
		Pools.reset(this.jdbc, 10, 5);
		this.jdbc.update("delete from audit_event");
		this.areas.createExtranet("Partners", "admin");
		this.areas.createExtranet("Suppliers", "admin");
	}

	@Test
	void roleClaimGrantsAndTakesAwayRolesAtEachSignInInForceAtTheNextClick() throws Exception {
		OidcFlow first = new OidcFlow(this.port);
		assertThat(first.signIn(provider, OidcFlow.token("sub-ann", ann("/Admins")), "corporate")).isEqualTo("/");

		assertThat(roles("ann")).containsExactly(true, false);
		assertThat(first.page("/admin/system").statusCode()).isEqualTo(200);
		assertThat(first.page("/admin/people/new").statusCode()).isEqualTo(403);
		assertThat(rolesChanged()).containsExactly(line("sub-ann", "SYSADMIN=true, PEOPLE_ADMIN=false"));

		// The provider moved Ann from the administrators to the people administrators.
		OidcFlow second = new OidcFlow(this.port);
		assertThat(second.signIn(provider, OidcFlow.token("sub-ann", ann("people-admins")), "corporate"))
			.isEqualTo("/");

		assertThat(roles("ann")).containsExactly(false, true);
		assertThat(second.page("/admin/system").statusCode()).isEqualTo(403);
		assertThat(second.page("/admin/people/new").statusCode()).isEqualTo(200);
		// The session opened earlier loses the role at its next click.
		assertThat(first.page("/admin/system").statusCode()).isEqualTo(403);
		assertThat(rolesChanged()).containsExactly(line("sub-ann", "SYSADMIN=true, PEOPLE_ADMIN=false"),
				line("sub-ann", "SYSADMIN=false, PEOPLE_ADMIN=true"));

		// No group at all: no role; and the same claims again record nothing.
		Map<String, Object> none = ann();
		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-ann", none), "corporate");
		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-ann", none), "corporate");
		assertThat(roles("ann")).containsExactly(false, false);
		assertThat(rolesChanged()).hasSize(3).last().isEqualTo(line("sub-ann", "SYSADMIN=false, PEOPLE_ADMIN=false"));
		assertThat(second.page("/admin/people/new").statusCode()).isEqualTo(403);
	}

	@Test
	void anAdministratorsRoleChangeLastsUntilTheNextSignInWhenTheClaimDecides() throws Exception {
		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-ann", ann("owners")), "corporate");
		assertThat(roles("ann")).containsExactly(true, true);

		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-ann", ann("owners", "staff")), "corporate");

		assertThat(roles("ann")).containsExactly(true, true);
		assertThat(rolesChanged()).containsExactly(line("sub-ann", "SYSADMIN=true, PEOPLE_ADMIN=true"));
	}

	@Test
	void builtInAdministratorIsNeverChangedByTheClaims() throws Exception {
		// It is never linked to a provider; were it linked (by hand, in the database), a
		// sign-in would still change neither its roles nor its details.
		Map<String, Object> before = this.jdbc
			.queryForMap("select id, email, sysadmin, people_admin from profile where built_in = true");
		this.jdbc.update(
				"insert into sso_identity (issuer, subject, profile_id, registration_id, created_at) values (?, ?, ?, ?, current_timestamp)",
				provider.issuerUrl(OidcFlow.ISSUER).toString(), "sub-admin", before.get("ID"), "corporate");
		try {
			Map<String, Object> claims = claims("admin", "groups", List.of("staff"));
			claims.put("email", "someone@example.org");

			assertThat(new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-admin", claims), "corporate"))
				.isEqualTo("/");

			assertThat(this.jdbc
				.queryForMap("select id, email, sysadmin, people_admin from profile where built_in = true"))
				.isEqualTo(before);
			assertThat(rolesChanged()).isEmpty();
			assertThat(this.jdbc.queryForList("select id from audit_event where action = 'PROFILE_DETAILS_CHANGED'"))
				.isEmpty();
		}
		finally {
			this.jdbc.update("delete from sso_identity where subject = 'sub-admin'");
		}
	}

	@Test
	void groupValuesOfTheRoleMappingMatchIgnoringCaseAndKeycloakPaths() throws Exception {
		// "/ADMINS" is the key "/Admins"; "/org/helpdesk" is its own key, before
		// "helpdesk"; "/elsewhere/helpdesk" is "helpdesk" by its last segment.
		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-ann", ann("/ADMINS")), "corporate");
		new OidcFlow(this.port).signIn(provider,
				OidcFlow.token("sub-bob", claims("bob", "groups", List.of("/org/helpdesk"))), "corporate");
		new OidcFlow(this.port).signIn(provider,
				OidcFlow.token("sub-cy", claims("cy", "groups", List.of("/elsewhere/HelpDesk"))), "corporate");

		assertThat(roles("ann")).containsExactly(true, false);
		assertThat(roles("bob")).containsExactly(false, true);
		assertThat(roles("cy")).containsExactly(true, false);
	}

	@Test
	void groupValuesOfTheAreaMappingMatchIgnoringCaseAndKeycloakPaths() throws Exception {
		// "/partners" is the key "PARTNERS"; "/org/suppliers" the key "/org/suppliers";
		// "/regions/north/partners" is "partners" by its last segment; "/org/other" maps
		// nowhere.
		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-ann", ann("/partners")), "corporate");
		new OidcFlow(this.port).signIn(provider,
				OidcFlow.token("sub-bob", claims("bob", "groups", List.of("/ORG/Suppliers"))), "corporate");
		new OidcFlow(this.port).signIn(provider,
				OidcFlow.token("sub-cy", claims("cy", "groups", List.of("/regions/north/partners"))), "corporate");
		new OidcFlow(this.port).signIn(provider,
				OidcFlow.token("sub-dee", claims("dee", "groups", List.of("/org/other"))), "corporate");

		assertThat(area("ann")).isEqualTo("Partners");
		assertThat(area("bob")).isEqualTo("Suppliers");
		assertThat(area("cy")).isEqualTo("Partners");
		assertThat(area("dee")).isEqualTo("Primary Area");
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(3)
			.isEqualTo(Pools.activeRows(this.jdbc, "EXTRANET"));
	}

	@Test
	void valueThatMapsNowhereIsLoggedOncePerProviderWithTheValuesSeen(CapturedOutput output) throws Exception {
		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-ann", ann("/Admins", "/teams/Lost-Team")),
				"corporate");
		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-ann", ann("/teams/lost-team", "/Admins")),
				"corporate");
		new OidcFlow(this.port).signIn(provider,
				OidcFlow.token("sub-bob", claims("bob", "groups", List.of("/teams/Lost-Team"))), "corporate");

		assertThat(
				lines(output, "Single sign-on through corporate: the value [/teams/Lost-Team] of the claim 'groups'"))
			.singleElement()
			.asString()
			.contains("maps to no area and no role")
			.contains("the claim's values were [/Admins, /teams/Lost-Team]");

		// Another provider's values are its own.
		Map<String, Object> partner = claims("erin", "realm_access", Map.of("roles", List.of("lost-team")));
		new OidcFlow(this.port).signIn(provider, OidcFlow.token(PARTNER, "sub-erin", partner, 3600), PARTNER);
		new OidcFlow(this.port).signIn(provider, OidcFlow.token(PARTNER, "sub-erin", partner, 3600), PARTNER);
		assertThat(lines(output,
				"Single sign-on through partner: the value [lost-team] of the claim 'realm_access.roles'"))
			.hasSize(1);
		assertThat(lines(output, "Single sign-on through corporate:")).hasSize(1);
	}

	@Test
	void secondProviderUsesItsOwnSettingsAndTheGlobalOnesForWhatItLeavesUnset() throws Exception {
		// The partner's area comes from "organisation", its roles from Keycloak's
		// realm_access.roles; the global groups mapping is not its own.
		Map<String, Object> erin = claims("erin", "organisation", "ACME");
		erin.put("realm_access", Map.of("roles", List.of("partner-admin")));
		erin.put("groups", List.of("/Admins", "partners"));
		OidcFlow browser = new OidcFlow(this.port);

		assertThat(browser.signIn(provider, OidcFlow.token(PARTNER, "sub-erin", erin, 3600), PARTNER)).isEqualTo("/");

		assertThat(area("erin")).isEqualTo("Suppliers");
		assertThat(roles("erin")).containsExactly(false, true);
		assertThat(browser.page("/admin/people/new").statusCode()).isEqualTo(200);
		assertThat(browser.page("/admin/system").statusCode()).isEqualTo(403);
		// The claims it leaves unset are the global ones: the username, the names.
		assertThat(this.jdbc.queryForMap("select email, first_name from profile where username = 'erin'"))
			.containsEntry("EMAIL", "erin@example.org")
			.containsEntry("FIRST_NAME", "Erin");
	}

	@Test
	void profileIsNotRefreshedFromTheClaimsWhenTheProviderSaysNot() throws Exception {
		new OidcFlow(this.port).signIn(provider, OidcFlow.token(PARTNER, "sub-erin", claims("erin"), 3600), PARTNER);
		Map<String, Object> changed = claims("erin");
		changed.put("email", "erin@partner.example");
		changed.put("family_name", "Changed");

		assertThat(
				new OidcFlow(this.port).signIn(provider, OidcFlow.token(PARTNER, "sub-erin", changed, 3600), PARTNER))
			.isEqualTo("/");

		assertThat(this.jdbc.queryForMap("select email, last_name from profile where username = 'erin'"))
			.containsEntry("EMAIL", "erin@example.org")
			.containsEntry("LAST_NAME", "Example");
		assertThat(this.jdbc.queryForList("select details from audit_event where action = 'PROFILE_DETAILS_CHANGED'"))
			.isEmpty();

		// The corporate provider refreshes (the global default).
		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-ann", ann()), "corporate");
		Map<String, Object> moved = ann();
		moved.put("email", "ann@elsewhere.example");
		new OidcFlow(this.port).signIn(provider, OidcFlow.token("sub-ann", moved), "corporate");
		assertThat(this.jdbc.queryForObject("select email from profile where username = 'ann'", String.class))
			.isEqualTo("ann@elsewhere.example");
		assertThat(this.jdbc.queryForList("select details from audit_event where action = 'PROFILE_DETAILS_CHANGED'",
				String.class))
			.containsExactly("email=ann@elsewhere.example (was ann@example.org)");
	}

	private List<Boolean> roles(String username) {
		return this.jdbc.queryForObject("select sysadmin, people_admin from profile where username = ?",
				(rs, n) -> List.of(rs.getBoolean(1), rs.getBoolean(2)), username);
	}

	private String area(String username) {
		return this.jdbc.queryForObject(
				"select a.name from profile p join area a on a.id = p.area_id where p.username = ?", String.class,
				username);
	}

	private List<String> rolesChanged() {
		return this.jdbc.queryForList(
				"select actor || ' ' || subject || ' ' || details from audit_event where action = 'ROLES_CHANGED' order by id",
				String.class);
	}

	private String line(String subject, String details) {
		return "sso:" + subject + "@" + provider.issuerUrl(OidcFlow.ISSUER) + " ann " + details;
	}

	private static List<String> lines(CapturedOutput output, String start) {
		return output.getOut().lines().filter((line) -> line.contains(start)).toList();
	}

	private static Map<String, Object> ann(String... groups) {
		Map<String, Object> claims = claims("ann");
		if (groups.length > 0) {
			claims.put("groups", List.of(groups));
		}
		return claims;
	}

	private static Map<String, Object> claims(String username, String claim, Object value) {
		Map<String, Object> claims = claims(username);
		claims.put(claim, value);
		return claims;
	}

	private static Map<String, Object> claims(String username) {
		Map<String, Object> claims = new HashMap<>();
		claims.put("preferred_username", username);
		claims.put("email", username + "@example.org");
		claims.put("given_name", username.substring(0, 1).toUpperCase() + username.substring(1));
		claims.put("family_name", "Example");
		return claims;
	}

}
