package io.seatkeeper.people;

import io.seatkeeper.NewProfiles;
import io.seatkeeper.Pools;
import io.seatkeeper.license.LicenseService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The JSON API under {@code /api/v1}, through HTTP Basic against real profiles: it passes
 * the same gate as the console, answers bad input with 400 and refusals with RFC 9457
 * problems, never with a 500.
 */
@SpringBootTest(properties = "seatkeeper.admin.password=" + ProfileApiTests.ADMIN_PASSWORD)
@AutoConfigureMockMvc
@Tag("database")
class ProfileApiTests {

	static final String ADMIN_PASSWORD = "built-in-secret-1";

	private static final String OPERATOR_PASSWORD = "operator-secret-1";

	@Autowired
	MockMvc mvc;

	@Autowired
	PeopleService people;

	@Autowired
	AreaService areas;

	@Autowired
	LicenseService licenses;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void emptyPools() {
		Pools.reset(this.jdbc, 2, 1);
	}

	@AfterEach
	void countersEqualTheRows() {
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	@Test
	void createsProfileWithLocationAndBody() throws Exception {
		String location = asAdmin(
				post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON).content(aProfileJson("alice", "")))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", containsString("/api/v1/profiles/")))
			.andExpect(jsonPath("$.id").isNumber())
			.andExpect(jsonPath("$.username").value("alice"))
			.andExpect(jsonPath("$.email").value("alice@example.org"))
			.andExpect(jsonPath("$.area").value("Primary Area"))
			.andExpect(jsonPath("$.pool").value("PRIMARY"))
			.andExpect(jsonPath("$.state").value("ACTIVE"))
			.andExpect(jsonPath("$.usesLicense").value(true))
			.andReturn()
			.getResponse()
			.getHeader("Location");

		long id = this.people.findByUsername("alice").orElseThrow().id();
		assertThat(location).endsWith("/api/v1/profiles/" + id);
		assertThat(this.people.get(id).source()).isEqualTo(ProfileSource.API);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
	}

	@Test
	void createsProfileForAPeopleAdministratorRecordedAsTheActor() throws Exception {
		anOperator("operator", false, true);

		this.mvc
			.perform(post("/api/v1/profiles").with(httpBasic("operator", OPERATOR_PASSWORD))
				.contentType(MediaType.APPLICATION_JSON)
				.content(aProfileJson("alice", null)))
			.andExpect(status().isCreated());

		assertThat(this.jdbc.queryForList(
				"select actor from audit_event where action = 'PROFILE_CREATED' and subject = 'alice' order by id desc",
				String.class))
			.first()
			.isEqualTo("operator");
	}

	@Test
	void absentOrBlankAreaMeansThePrimaryArea() throws Exception {
		createThroughApi(aProfileJson("alice", null)).andExpect(status().isCreated())
			.andExpect(jsonPath("$.area").value("Primary Area"));
		createThroughApi(aProfileJson("bob", "   ")).andExpect(status().isCreated())
			.andExpect(jsonPath("$.area").value("Primary Area"))
			.andExpect(jsonPath("$.pool").value("PRIMARY"));

		assertThat(Pools.activeRows(this.jdbc, "PRIMARY")).isEqualTo(2);
	}

	@Test
	void placesProfileInTheExtranetAreaNamedIgnoringCase() throws Exception {
		this.areas.createExtranet("Partners", "admin");

		createThroughApi(aProfileJson("eve", "partners")).andExpect(status().isCreated())
			.andExpect(jsonPath("$.area").value("Partners"))
			.andExpect(jsonPath("$.pool").value("EXTRANET"));

		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(1);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
	}

	@Test
	void refusesNewProfileWhenPrimaryPoolIsFullWithAProblemNamingThePool() throws Exception {
		createThroughApi(aProfileJson("alice", null)).andExpect(status().isCreated());
		createThroughApi(aProfileJson("bob", null)).andExpect(status().isCreated());

		createThroughApi(aProfileJson("carol", null)).andExpect(status().isConflict())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(409))
			.andExpect(jsonPath("$.pool").value("PRIMARY"))
			.andExpect(jsonPath("$.max").value(2))
			.andExpect(jsonPath("$.active").value(2))
			.andExpect(jsonPath("$.available").value(0))
			.andExpect(jsonPath("$.detail", allOf(containsString("Max_Users = 2"), containsString("2 active"))));

		assertThat(this.people.findByUsername("carol")).isEmpty();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(2);
	}

	@Test
	void refusesNewProfileWhenExtranetPoolIsFullWithAProblemNamingThePool() throws Exception {
		this.areas.createExtranet("Partners", "admin");
		this.areas.createExtranet("Suppliers", "admin");
		createThroughApi(aProfileJson("eve", "Partners")).andExpect(status().isCreated());

		createThroughApi(aProfileJson("frank", "Suppliers")).andExpect(status().isConflict())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.pool").value("EXTRANET"))
			.andExpect(jsonPath("$.max").value(1))
			.andExpect(jsonPath("$.active").value(1))
			.andExpect(
					jsonPath("$.detail", allOf(containsString("Max_extranet_users = 1"), containsString("1 active"))));

		assertThat(this.people.findByUsername("frank")).isEmpty();
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(1);
	}

	@Test
	void rejectsEmptyFieldsNamingEachOne() throws Exception {
		createThroughApi("""
				{"username": "", "email": "", "firstName": "", "lastName": ""}
				""").andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.errors.username").isString())
			.andExpect(jsonPath("$.errors.email").isString())
			.andExpect(jsonPath("$.errors.firstName").isString())
			.andExpect(jsonPath("$.errors.lastName").isString());

		assertNoProfileButTheAdministrator();
	}

	@Test
	void rejectsAbsentFieldsNamingEachOne() throws Exception {
		createThroughApi("{}").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors.username").isString())
			.andExpect(jsonPath("$.errors.email").isString())
			.andExpect(jsonPath("$.errors.firstName").isString())
			.andExpect(jsonPath("$.errors.lastName").isString())
			.andExpect(jsonPath("$.errors", not(hasKey("area"))));

		assertNoProfileButTheAdministrator();
	}

	@Test
	void rejectsTooLongFieldsNamingEachOne() throws Exception {
		createThroughApi("""
				{"username": "%s", "email": "%s@example.org", "firstName": "%s", "lastName": "%s",
				 "area": "%s", "password": "%s"}
				""".formatted("u".repeat(65), "e".repeat(250), "f".repeat(101), "l".repeat(101), "a".repeat(81),
				"p".repeat(73)))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors.username").isString())
			.andExpect(jsonPath("$.errors.email").isString())
			.andExpect(jsonPath("$.errors.firstName").isString())
			.andExpect(jsonPath("$.errors.lastName").isString())
			.andExpect(jsonPath("$.errors.area").isString())
			.andExpect(jsonPath("$.errors.password").isString());

		assertNoProfileButTheAdministrator();
	}

	@Test
	void rejectsFieldsWhoseLowerCaseFormIsTooLongNamingEachOne() throws Exception {
		// 64 and 100 characters, but "İ" is two characters in lower case: the keys that
		// usernames and names are compared by would not fit.
		createThroughApi("""
				{"username": "%s", "email": "e@example.org", "firstName": "A", "lastName": "L"}
				""".formatted("İ".repeat(ProfileRules.USERNAME_MAX))).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors.username", containsString("at most 64 characters")));
		createThroughApi("""
				{"username": "zed", "email": "e@example.org", "firstName": "%s", "lastName": "L"}
				""".formatted("İ".repeat(ProfileRules.NAME_MAX))).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors.firstName", containsString("at most 100 characters")))
			.andExpect(jsonPath("$.errors", not(hasKey("username"))));

		assertNoProfileButTheAdministrator();
	}

	@Test
	void rejectsEmailWithAControlCharacter() throws Exception {
		createThroughApi("""
				{"username": "alice", "email": "alice\\u0000@example.org", "firstName": "A", "lastName": "L"}
				""").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors.email").isString())
			.andExpect(jsonPath("$.errors", not(hasKey("username"))));

		assertNoProfileButTheAdministrator();
	}

	@Test
	void acceptsFieldsAtTheirLongest() throws Exception {
		String username = "u".repeat(ProfileRules.USERNAME_MAX);

		createThroughApi("""
				{"username": "%s", "email": "e@example.org", "firstName": "%s", "lastName": "%s"}
				""".formatted(username, "f".repeat(ProfileRules.NAME_MAX), "l".repeat(ProfileRules.NAME_MAX)))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.username").value(username));
	}

	@Test
	void rejectsDuplicateUsernameIgnoringCase() throws Exception {
		createThroughApi(aProfileJson("alice", null)).andExpect(status().isCreated());

		createThroughApi(aProfileJson("ALICE", null)).andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.errors.username", containsString("ALICE")));

		assertThat(Pools.activeRows(this.jdbc, "PRIMARY")).isEqualTo(1);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
	}

	@Test
	void rejectsMalformedEmailAndUsername() throws Exception {
		createThroughApi("""
				{"username": "-alice", "email": "alice.example.org", "firstName": "Alice", "lastName": "Liddell"}
				""").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors.email").value("Enter an e-mail address such as name@example.org."))
			.andExpect(jsonPath("$.errors.username").isString());

		assertNoProfileButTheAdministrator();
	}

	@Test
	void rejectsUnknownAreaName() throws Exception {
		createThroughApi(aProfileJson("alice", "Nowhere")).andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.errors.area", containsString("Nowhere")));

		assertNoProfileButTheAdministrator();
	}

	@Test
	void rejectsShortPasswordAndPasswordOverBcryptsLimit() throws Exception {
		createThroughApi("""
				{"username": "alice", "email": "alice@example.org", "firstName": "A", "lastName": "L",
				 "password": "short"}
				""").andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors.password").isString());
		// 40 characters, 80 bytes in UTF-8: more than BCrypt can hash.
		createThroughApi("""
				{"username": "alice", "email": "alice@example.org", "firstName": "A", "lastName": "L",
				 "password": "%s"}
				""".formatted("é".repeat(40))).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors.password").isString());

		assertNoProfileButTheAdministrator();
	}

	@Test
	void rejectsMalformedJsonWithAProblem() throws Exception {
		createThroughApi("{\"username\": \"alice\", ").andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(400));
		createThroughApi("").andExpect(status().isBadRequest());
		createThroughApi("[]").andExpect(status().isBadRequest());

		assertNoProfileButTheAdministrator();
	}

	@Test
	void rejectsWrongTypesNamingTheField() throws Exception {
		createThroughApi("""
				{"username": ["alice"], "email": "alice@example.org", "firstName": "A", "lastName": "L"}
				""").andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.errors.username").isString());
		createThroughApi("""
				{"username": "alice", "email": "alice@example.org", "firstName": {"a": 1}, "lastName": "L"}
				""").andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors.firstName").isString());

		assertNoProfileButTheAdministrator();
	}

	@Test
	void rejectsABodyThatIsNotJson() throws Exception {
		asAdmin(post("/api/v1/profiles").contentType(MediaType.TEXT_PLAIN).content("username=alice"))
			.andExpect(status().isUnsupportedMediaType());

		assertNoProfileButTheAdministrator();
	}

	@Test
	void showsOneProfile() throws Exception {
		long id = aProfile("alice");

		asAdmin(get("/api/v1/profiles/{id}", id)).andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.id").value(id))
			.andExpect(jsonPath("$.username").value("alice"))
			.andExpect(jsonPath("$.area").value("Primary Area"))
			.andExpect(jsonPath("$.state").value("ACTIVE"))
			.andExpect(jsonPath("$.blockReason").isEmpty());
	}

	@Test
	void answersAMissingProfileWith404Problem() throws Exception {
		asAdmin(get("/api/v1/profiles/{id}", 999_999)).andExpect(status().isNotFound())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(404))
			.andExpect(jsonPath("$.detail", containsString("999999")));
		asAdmin(post("/api/v1/profiles/{id}/block", 999_999)).andExpect(status().isNotFound());
		asAdmin(post("/api/v1/profiles/{id}/reinstate", 999_999)).andExpect(status().isNotFound());
		asAdmin(delete("/api/v1/profiles/{id}", 999_999)).andExpect(status().isNotFound());
	}

	@Test
	void everyProblemCarriesItsReadableMessageAndAStableCode() throws Exception {
		createThroughApi(aProfileJson("alice", null)).andExpect(status().isCreated());
		createThroughApi(aProfileJson("ALICE", null)).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.code").value("profile.username.taken"))
			.andExpect(jsonPath("$.errors.username").isString());
		createThroughApi(aProfileJson("bob", null)).andExpect(status().isCreated());

		String full = createThroughApi(aProfileJson("carol", null)).andExpect(status().isConflict())
			.andExpect(jsonPath("$.code").value("license.full"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(com.jayway.jsonpath.JsonPath.<String>read(full, "$.message"))
			.isEqualTo(com.jayway.jsonpath.JsonPath.<String>read(full, "$.detail"))
			.contains("Max_Users = 2");
		asAdmin(get("/api/v1/profiles/{id}", 999_999)).andExpect(status().isNotFound())
			.andExpect(jsonPath("$.code").value("profile.notFound"))
			.andExpect(jsonPath("$.message", containsString("999999")));
		createThroughApi("{\"username\":\"\"}").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.code").value("error.request.invalid"))
			.andExpect(jsonPath("$.message").isString());
		asAdmin(get("/api/v1/profiles/{id}", "alice")).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.code").value("typeMismatch"))
			.andExpect(jsonPath("$.errors.id").isString());
		createThroughApi("{\"username\":").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.code").value("error.body.unreadable"))
			.andExpect(jsonPath("$.message").isString());
	}

	@Test
	void answersAnIdThatIsNotANumberWith400() throws Exception {
		asAdmin(get("/api/v1/profiles/{id}", "alice")).andExpect(status().isBadRequest());
		asAdmin(get("/api/v1/profiles/{id}", "99999999999999999999999")).andExpect(status().isBadRequest());
	}

	@Test
	void blockingThroughTheApiFreesTheLicense() throws Exception {
		long alice = aProfile("alice");
		aProfile("bob");

		asAdmin(post("/api/v1/profiles/{id}/block", alice)).andExpect(status().isOk())
			.andExpect(jsonPath("$.state").value("BLOCKED"))
			.andExpect(jsonPath("$.blockReason").value("ADMINISTRATOR"))
			.andExpect(jsonPath("$.usesLicense").value(false));

		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
		createThroughApi(aProfileJson("carol", null)).andExpect(status().isCreated());
	}

	@Test
	void refusesReinstatementWhenThePoolIsFull() throws Exception {
		long alice = aProfile("alice");
		this.people.block(alice, "admin");
		aProfile("bob");
		aProfile("carol");

		asAdmin(post("/api/v1/profiles/{id}/reinstate", alice)).andExpect(status().isConflict())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.pool").value("PRIMARY"))
			.andExpect(jsonPath("$.max").value(2))
			.andExpect(jsonPath("$.active").value(2));

		assertThat(this.people.get(alice).state()).isEqualTo(ProfileState.BLOCKED);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(2);
	}

	@Test
	void reinstatesWhenALicenseIsFree() throws Exception {
		long alice = aProfile("alice");
		this.people.block(alice, "admin");

		asAdmin(post("/api/v1/profiles/{id}/reinstate", alice)).andExpect(status().isOk())
			.andExpect(jsonPath("$.state").value("ACTIVE"))
			.andExpect(jsonPath("$.usesLicense").value(true));

		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
	}

	@Test
	void deletesTheProfileAndItsRow() throws Exception {
		long alice = aProfile("alice");

		asAdmin(delete("/api/v1/profiles/{id}", alice)).andExpect(status().isNoContent());

		assertThat(this.jdbc.queryForObject("select count(*) from profile where id = ?", Integer.class, alice))
			.isZero();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
		asAdmin(get("/api/v1/profiles/{id}", alice)).andExpect(status().isNotFound());
	}

	@Test
	void refusesToBlockOrDeleteTheBuiltInAdministrator() throws Exception {
		long admin = this.people.findByUsername("admin").orElseThrow().id();

		asAdmin(post("/api/v1/profiles/{id}/block", admin)).andExpect(status().isConflict())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail", containsString("built-in administrator")));
		asAdmin(delete("/api/v1/profiles/{id}", admin)).andExpect(status().isConflict())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));

		assertThat(this.people.get(admin).active()).isTrue();
	}

	@Test
	void showsEachPoolsFigures() throws Exception {
		this.areas.createExtranet("Partners", "admin");
		this.jdbc.update("update license_pool set max_users = 5 where pool = 'PRIMARY'");
		this.jdbc.update("update license_pool set max_users = 3 where pool = 'EXTRANET'");
		aProfile("alice");
		aProfile("bob");
		long carol = aProfile("carol");
		this.people.block(carol, "admin");
		awaitingLicense(carol);
		createThroughApi(aProfileJson("eve", "Partners")).andExpect(status().isCreated());

		asAdmin(get("/api/v1/license")).andExpect(status().isOk())
			.andExpect(content().json("""
					{"pools": [
					  {"pool": "PRIMARY", "max": 5, "active": 2, "available": 3, "awaiting": 1},
					  {"pool": "EXTRANET", "max": 3, "active": 1, "available": 2, "awaiting": 0}
					]}
					""", JsonCompareMode.LENIENT))
			.andExpect(jsonPath("$.pools[0].queue.length()").value(1))
			.andExpect(jsonPath("$.pools[0].queue[0].id").value(carol))
			.andExpect(jsonPath("$.pools[0].queue[0].username").value("carol"))
			.andExpect(jsonPath("$.pools[0].queue[0].position").value(1))
			.andExpect(jsonPath("$.pools[1].queue").isEmpty())
			.andExpect(jsonPath("$.pools[0].forecast.trend").value("UNKNOWN"));
	}

	@Test
	void showsNoneAvailableWhenAPoolIsOverItsMaximum() throws Exception {
		aProfile("alice");
		aProfile("bob");
		this.jdbc.update("update license_pool set max_users = 1 where pool = 'PRIMARY'");

		asAdmin(get("/api/v1/license")).andExpect(status().isOk())
			.andExpect(jsonPath("$.pools[0].pool").value("PRIMARY"))
			.andExpect(jsonPath("$.pools[0].max").value(1))
			.andExpect(jsonPath("$.pools[0].active").value(2))
			.andExpect(jsonPath("$.pools[0].available").value(0));
	}

	@Test
	void asksForCredentials() throws Exception {
		this.mvc.perform(get("/api/v1/license")).andExpect(status().isUnauthorized());
		this.mvc
			.perform(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON)
				.content(aProfileJson("alice", null)))
			.andExpect(status().isUnauthorized());
		this.mvc.perform(get("/api/v1/license").with(httpBasic("admin", "wrong-password")))
			.andExpect(status().isUnauthorized());

		assertNoProfileButTheAdministrator();
	}

	@Test
	void refusesProfilesToASysadminWhoIsNoPeopleAdministrator() throws Exception {
		anOperator("operator", true, false);

		this.mvc
			.perform(post("/api/v1/profiles").with(httpBasic("operator", OPERATOR_PASSWORD))
				.contentType(MediaType.APPLICATION_JSON)
				.content(aProfileJson("alice", null)))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/api/v1/license").with(httpBasic("operator", OPERATOR_PASSWORD)))
			.andExpect(status().isOk());

		assertThat(this.people.findByUsername("alice")).isEmpty();
	}

	@Test
	void refusesABlockedPeopleAdministrator() throws Exception {
		long operator = anOperator("operator", false, true);
		this.people.block(operator, "admin");

		this.mvc
			.perform(post("/api/v1/profiles").with(httpBasic("operator", OPERATOR_PASSWORD))
				.contentType(MediaType.APPLICATION_JSON)
				.content(aProfileJson("alice", null)))
			.andExpect(status().isUnauthorized());

		assertThat(this.people.findByUsername("alice")).isEmpty();
	}

	@Test
	void answersStatelesslyWithoutASession() throws Exception {
		createThroughApi(aProfileJson("alice", null)).andExpect(status().isCreated())
			.andExpect(header().doesNotExist("Set-Cookie"));
	}

	private ResultActions createThroughApi(String json) throws Exception {
		return asAdmin(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON).content(json));
	}

	private ResultActions asAdmin(MockHttpServletRequestBuilder request) throws Exception {
		return this.mvc.perform(request.with(httpBasic("admin", ADMIN_PASSWORD)));
	}

	private long aProfile(String username) {
		return this.people.create(NewProfiles.aProfile(username), "admin").id();
	}

	private long anOperator(String username, boolean sysadmin, boolean peopleAdmin) {
		long id = this.people.create(NewProfiles.aProfile(username, null, OPERATOR_PASSWORD), "admin").id();
		this.people.changeRoles(id, sysadmin, peopleAdmin, "admin");
		return id;
	}

	private void awaitingLicense(long id) {
		this.jdbc.update(
				"update profile set block_reason = 'AWAITING_LICENSE', awaiting_since = blocked_at where id = ?", id);
	}

	private void assertNoProfileButTheAdministrator() {
		assertThat(this.jdbc.queryForObject("select count(*) from profile where built_in = false", Integer.class))
			.isZero();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
	}

	private static String aProfileJson(String username, String area) {
		String areaField = (area != null) ? ", \"area\": \"" + area + "\"" : "";
		return """
				{"username": "%s", "email": "%s@example.org", "firstName": "First", "lastName": "Last"%s}
				""".formatted(username, username.toLowerCase(), areaField);
	}

}
