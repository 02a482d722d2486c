package io.seatkeeper.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.servlet.http.Cookie;

import io.seatkeeper.Pools;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.AreaView;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileState;
import io.seatkeeper.people.ProfileView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Who may open what: every console and API path, for each kind of caller, signed in for
 * real with the password of a real profile (a session from the sign-in form for the
 * console, HTTP Basic for the API and the metrics).
 */
@SpringBootTest(properties = "seatkeeper.admin.password=" + SecurityTests.ADMIN_PASSWORD)
@AutoConfigureMockMvc
class SecurityTests {

	static final String ADMIN_PASSWORD = "built-in-secret-42";

	private static final String PASSWORD = "correct-horse-battery";

	/**
	 * What each caller gets, path by path: {@code login} is a redirect to the sign-in
	 * page, {@code 302 <page>} a redirect to that page (the request was carried out), any
	 * other number the status. {@code {target}} is an active profile without roles,
	 * {@code {area}} an empty Extranet area. Columns: method, path, anonymous, ordinary
	 * user, people administrator, sysadmin.
	 */
	private static final String RULES = """
			GET    /                                                   login 200 200 200
			GET    /login?sso-no-license                               200   200 200 200
			GET    /admin/system                                       login 403 403 200
			GET    /admin/system/license                               login 403 403 200
			GET    /admin/system/areas                                 login 403 403 200
			GET    /admin/system/mail                                  login 403 403 200
			POST   /admin/system/license/responsible-person?email=it@example.org login 403 403 302:/admin/system/license
			POST   /admin/system/license/test-mail                     login 403 403 302:/admin/system/license
			GET    /admin/system/license/requests                      login 403 403 200
			POST   /admin/system/license/requests?kind=ADD&pool=PRIMARY&amount=5 login 403 403 302:/admin/system/license/requests
			POST   /admin/system/license/requests/999999/withdraw      login 403 403 404
			POST   /admin/system/license/key/preview?key=not-a-key     login 403 403 302:/admin/system/license
			POST   /admin/system/license/key?key=not-a-key             login 403 403 302:/admin/system/license
			GET    /admin/system/areas/{area}                          login 403 403 200
			GET    /admin/system/license/usage?pool=PRIMARY            login 403 403 200
			GET    /admin/system/license/usage.csv?pool=EXTRANET       login 403 403 200
			GET    /admin/system/audit                                 login 403 403 200
			GET    /admin/system/audit/export                          login 403 403 200
			GET    /admin/people                                       login 403 200 200
			GET    /admin/people/new                                   login 403 200 403
			GET    /admin/people/{target}                              login 403 200 200
			POST   /admin/people/new                                   login 403 302:/admin/people/* 403
			GET    /admin/people/export                                login 403 200 403
			GET    /admin/people/import                                login 403 200 403
			POST   /admin/people/block/confirm?ids={target}            login 403 200 403
			POST   /admin/people/block?ids={target}                    login 403 302:/admin/people 403
			POST   /admin/people/export?columns=USERNAME               login 403 200 403
			POST   /admin/people/{target}/block                        login 403 302:/admin/people/{target} 403
			POST   /admin/people/{target}/reinstate                    login 403 302:/admin/people/{target} 403
			POST   /admin/people/{target}/move?areaId={area}           login 403 302:/admin/people/{target} 403
			POST   /admin/people/{target}/delete?confirmation=tom      login 403 302:/admin/people 403
			POST   /admin/people/{target}/roles?peopleAdmin=true       login 403 403 302:/admin/people/{target}
			POST   /admin/system/areas?name=Suppliers                  login 403 403 302:/admin/system/areas
			POST   /admin/system/areas/{area}?name=Partners2           login 403 403 302:/admin/system/areas
			POST   /admin/system/areas/{area}/delete                   login 403 403 302:/admin/system/areas
			GET    /api/v1/license                                     401   403 200 200
			POST   /api/v1/profiles                                    401   403 201 403
			GET    /api/v1/profiles/{target}                           401   403 200 403
			GET    /api/v1/profiles.csv                                401   403 200 403
			POST   /api/v1/profiles/import?dryRun=true                 401   403 415 403
			POST   /api/v1/profiles/{target}/block                     401   403 200 403
			POST   /api/v1/profiles/{target}/reinstate                 401   403 200 403
			DELETE /api/v1/profiles/{target}                           401   403 204 403
			GET    /admin/system/directory                             login 403 403 200
			POST   /admin/system/directory/test                        login 403 403 302:/admin/system/directory
			POST   /admin/system/directory/sync                        login 403 403 302:/admin/system/directory/runs/*
			GET    /admin/system/directory/runs/none                   login 403 403 404
			GET    /api/v1/directory/runs/none                         401   403 403 404
			POST   /api/v1/directory/sync                              401   403 403 202
			GET    /admin/system/tokens                                login 403 403 200
			POST   /admin/system/tokens?name=nightly&scope=API_READ    login 403 403 200
			POST   /admin/system/tokens/999999/revoke                  login 403 403 404
			GET    /api/v1/tokens                                      401   403 403 200
			POST   /api/v1/tokens                                      401   403 403 400
			DELETE /api/v1/tokens/999999                               401   403 403 404
			GET    /actuator/health                                    200   200 200 200
			GET    /actuator/prometheus                                401   403 403 200
			""";

	@Autowired
	MockMvc mvc;

	@Autowired
	PeopleService people;

	@Autowired
	AreaService areas;

	@Autowired
	JdbcTemplate jdbc;

	private ProfileView target;

	private AreaView area;

	@BeforeEach
	void startFromKnownState() {
		Pools.reset(this.jdbc, 10, 5);
		this.target = this.people.create(aProfile("tom"), "admin");
		this.area = this.areas.createExtranet("Partners", "admin");
	}

	static Stream<Arguments> rules() {
		return RULES.lines().filter((line) -> !line.isBlank()).flatMap((line) -> {
			String[] cells = line.strip().split("\\s+");
			return Stream.of(Caller.values())
				.map((caller) -> Arguments.of(caller, cells[0], cells[1], cells[2 + caller.ordinal()]));
		});
	}

	@ParameterizedTest(name = "{0} {1} {2} -> {3}")
	@MethodSource("rules")
	void givesEachCallerExactlyTheAccessItsRolesAllow(Caller caller, String method, String path, String expected)
			throws Exception {
		String uri = path.replace("{target}", String.valueOf(this.target.id()))
			.replace("{area}", String.valueOf(this.area.id()));
		boolean api = uri.startsWith("/api/") || uri.startsWith("/actuator/");
		MockHttpServletRequestBuilder request = request(HttpMethod.valueOf(method), uri);
		if (uri.equals("/api/v1/profiles")) {
			request.contentType(MediaType.APPLICATION_JSON).content("""
					{"username": "newcomer", "email": "newcomer@example.org", "firstName": "New", "lastName": "Comer"}
					""");
		}
		if (uri.equals("/admin/people/new")) {
			request.param("username", "newcomer")
				.param("email", "newcomer@example.org")
				.param("firstName", "New")
				.param("lastName", "Comer");
		}
		if (!api) {
			request.with(csrf());
		}
		if (caller != Caller.ANONYMOUS) {
			String username = aCaller(caller).username();
			if (api) {
				request.with(httpBasic(username, PASSWORD));
			}
			else {
				request.cookie(signIn(username));
			}
		}
		List<Map<String, Object>> before = rows();

		MvcResult result = this.mvc.perform(request).andReturn();

		int status = result.getResponse().getStatus();
		String what = method + " " + uri + " as " + caller;
		if (expected.equals("login")) {
			assertThat(status).as(what).isEqualTo(302);
			redirectedUrl("/login").match(result);
		}
		else if (expected.startsWith("302:")) {
			assertThat(status).as(what).isEqualTo(302);
			String page = expected.substring(4)
				.replace("{target}", String.valueOf(this.target.id()))
				.replace("{area}", String.valueOf(this.area.id()));
			(page.contains("*") ? redirectedUrlPattern(page) : redirectedUrl(page)).match(result);
		}
		else {
			assertThat(status).as(what).isEqualTo(Integer.parseInt(expected));
		}
		if (expected.equals("login") || expected.equals("401") || expected.equals("403")) {
			assertThat(rows()).as("%s, refused, changes nothing", what).isEqualTo(before);
		}
	}

	@Test
	void refusesConsolePostWithoutCsrfTokenAndChangesNothing() throws Exception {
		Cookie session = signIn(aCaller(Caller.PEOPLE_ADMIN).username());
		List<Map<String, Object>> before = rows();

		this.mvc.perform(post("/admin/people/{id}/block", this.target.id()).cookie(session))
			.andExpect(status().isForbidden());

		assertThat(this.people.get(this.target.id()).state()).isEqualTo(ProfileState.ACTIVE);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(2);
		assertThat(rows()).isEqualTo(before);
	}

	@Test
	void carriesOutConsolePostWithCsrfToken() throws Exception {
		Cookie session = signIn(aCaller(Caller.PEOPLE_ADMIN).username());

		this.mvc.perform(post("/admin/people/{id}/block", this.target.id()).cookie(session).with(csrf()))
			.andExpect(redirectedUrl("/admin/people/" + this.target.id()));

		assertThat(this.people.get(this.target.id()).state()).isEqualTo(ProfileState.BLOCKED);
	}

	@Test
	void apiNeedsNoCsrfToken() throws Exception {
		String username = aCaller(Caller.PEOPLE_ADMIN).username();

		this.mvc.perform(post("/api/v1/profiles/{id}/block", this.target.id()).with(httpBasic(username, PASSWORD)))
			.andExpect(status().isOk());

		assertThat(this.people.get(this.target.id()).state()).isEqualTo(ProfileState.BLOCKED);
	}

	@Test
	void apiIgnoresAConsoleSession() throws Exception {
		Cookie session = signIn(aCaller(Caller.PEOPLE_ADMIN).username());

		// Without CSRF protection, the API must not take a browser's session for a
		// caller.
		this.mvc.perform(post("/api/v1/profiles/{id}/block", this.target.id()).cookie(session))
			.andExpect(status().isUnauthorized());

		assertThat(this.people.get(this.target.id()).state()).isEqualTo(ProfileState.ACTIVE);
	}

	@Test
	void apiRefusesAWrongPassword() throws Exception {
		String username = aCaller(Caller.PEOPLE_ADMIN).username();

		this.mvc.perform(post("/api/v1/profiles/{id}/block", this.target.id()).with(httpBasic(username, "wrong-one")))
			.andExpect(status().isUnauthorized());

		assertThat(this.people.get(this.target.id()).state()).isEqualTo(ProfileState.ACTIVE);
	}

	@Test
	void apiRefusesABlockedPeopleAdministrator() throws Exception {
		ProfileView peopleAdmin = aCaller(Caller.PEOPLE_ADMIN);
		this.people.block(peopleAdmin.id(), "admin");

		this.mvc
			.perform(post("/api/v1/profiles/{id}/block", this.target.id())
				.with(httpBasic(peopleAdmin.username(), PASSWORD)))
			.andExpect(status().isUnauthorized());

		assertThat(this.people.get(this.target.id()).state()).isEqualTo(ProfileState.ACTIVE);
	}

	@Test
	void theBuiltInAdministratorMayOpenEveryArea() throws Exception {
		Cookie session = signIn("admin");

		this.mvc.perform(request(HttpMethod.GET, "/admin/system").cookie(session)).andExpect(status().isOk());
		this.mvc.perform(request(HttpMethod.GET, "/admin/people/new").cookie(session)).andExpect(status().isOk());
		this.mvc
			.perform(request(HttpMethod.GET, "/api/v1/profiles/{id}", this.target.id())
				.with(httpBasic("admin", ADMIN_PASSWORD)))
			.andExpect(status().isOk());
	}

	/**
	 * The profiles and areas as a refused request must leave them (the time of the last
	 * sign-in aside, which signing in sets).
	 */
	private List<Map<String, Object>> rows() {
		List<Map<String, Object>> rows = new ArrayList<>(this.jdbc.queryForList(
				"select id, username, area_id, pool, state, block_reason, sysadmin, people_admin, version from profile order by id"));
		rows.addAll(this.jdbc.queryForList("select id, name from area order by id"));
		rows.addAll(this.jdbc.queryForList("select pool, max_users, active_count from license_pool order by pool"));
		rows.addAll(this.jdbc.queryForList("select email from responsible_person"));
		return rows;
	}

	private ProfileView aCaller(Caller caller) {
		String username = caller.name().toLowerCase(Locale.ROOT).replace('_', '-');
		ProfileView profile = this.people.create(aProfile(username, null, PASSWORD), "admin");
		if (caller == Caller.PEOPLE_ADMIN || caller == Caller.SYSADMIN) {
			profile = this.people.changeRoles(profile.id(), caller == Caller.SYSADMIN, caller == Caller.PEOPLE_ADMIN,
					"admin");
		}
		return profile;
	}

	/**
	 * Signs in through the sign-in form and returns the session it opened.
	 */
	private Cookie signIn(String username) throws Exception {
		String password = username.equals("admin") ? ADMIN_PASSWORD : PASSWORD;
		MvcResult result = this.mvc.perform(formLogin().user(username).password(password))
			.andExpect(redirectedUrl("/"))
			.andExpect(authenticated().withUsername(username))
			.andReturn();
		return result.getResponse().getCookie("SESSION");
	}

	enum Caller {

		ANONYMOUS, USER, PEOPLE_ADMIN, SYSADMIN

	}

}
