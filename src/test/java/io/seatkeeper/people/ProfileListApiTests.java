package io.seatkeeper.people;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.jayway.jsonpath.JsonPath;
import io.seatkeeper.NewProfiles;
import io.seatkeeper.Pools;
import io.seatkeeper.tokens.ApiTokens;
import io.seatkeeper.tokens.TokenScope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code GET /api/v1/profiles}: the people list's filters one by one and together, keyset
 * paging in id order that follows its {@code next} link to the end without a duplicate or
 * a gap, bad parameters answered with 400 problems that name them, and only a people
 * administrator (or a token with an API scope) let in.
 */
@SpringBootTest(properties = "seatkeeper.admin.password=" + ProfileApiTests.ADMIN_PASSWORD)
@AutoConfigureMockMvc
@Tag("database")
class ProfileListApiTests {

	private static final String OPERATOR_PASSWORD = "operator-secret-1";

	@Autowired
	MockMvc mvc;

	@Autowired
	PeopleService people;

	@Autowired
	AreaService areas;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ApiTokens tokens;

	@BeforeEach
	void emptyPools() {
		Pools.reset(this.jdbc, 20, 10);
	}

	@Test
	void followsTheNextLinkAcrossPagesWithoutDuplicatesOrGaps() throws Exception {
		for (int i = 1; i <= 7; i++) {
			aProfile("user" + i);
		}
		List<Long> seen = new ArrayList<>();
		String next = "/api/v1/profiles?limit=3";
		int pages = 0;
		while (next != null) {
			String body = asAdmin(get(URI.create(next))).andExpect(status().isOk())
				.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
				.andReturn()
				.getResponse()
				.getContentAsString();
			List<Number> ids = JsonPath.read(body, "$.profiles[*].id");
			assertThat(ids).hasSizeLessThanOrEqualTo(3).isNotEmpty();
			ids.forEach((id) -> seen.add(id.longValue()));
			next = JsonPath.read(body, "$.next");
			if (next != null) {
				assertThat(next).contains("limit=3").contains("after=" + ids.get(ids.size() - 1));
			}
			pages++;
		}
		assertThat(pages).isEqualTo(3);
		assertThat(seen).isSorted()
			.doesNotHaveDuplicates()
			.containsExactlyElementsOf(this.jdbc.queryForList("select id from profile order by id", Long.class));
	}

	@Test
	void answersOnePageWithANullNextWhenEverythingFits() throws Exception {
		aProfile("alice");

		asAdmin(get("/api/v1/profiles")).andExpect(status().isOk())
			.andExpect(jsonPath("$.profiles.length()").value(2))
			.andExpect(jsonPath("$.next").value(nullValue()));
	}

	@Test
	void keepsTheFiltersInTheNextLink() throws Exception {
		this.people.create(NewProfiles.aProfile("ann.one", "ann+one@example.org", "Ann", "One"), "admin");
		aProfile("ann.two");
		aProfile("ann.three");
		aProfile("bob");

		String body = asAdmin(get(URI.create("/api/v1/profiles?q=ann&state=active&limit=2"))).andExpect(status().isOk())
			.andExpect(jsonPath("$.profiles[*].username").value(org.hamcrest.Matchers.contains("ann.one", "ann.two")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		String next = JsonPath.read(body, "$.next");
		assertThat(next).contains("q=ann").contains("state=active").contains("limit=2");

		asAdmin(get(URI.create(next))).andExpect(status().isOk())
			.andExpect(jsonPath("$.profiles[*].username").value(org.hamcrest.Matchers.contains("ann.three")))
			.andExpect(jsonPath("$.next").value(nullValue()));
	}

	@Test
	void encodesASearchWithASpaceOrAPlusInTheNextLink() throws Exception {
		this.people.create(NewProfiles.aProfile("oak", "ann+oak@example.org", "Ann", "Oak"), "admin");
		this.people.create(NewProfiles.aProfile("olsen", "ann+olsen@example.org", "Ann", "Olsen"), "admin");

		for (String search : List.of("ann%20o", "ann%2Bo")) {
			String body = asAdmin(get(URI.create("/api/v1/profiles?limit=1&q=" + search))).andExpect(status().isOk())
				.andExpect(jsonPath("$.profiles[*].username").value(org.hamcrest.Matchers.contains("oak")))
				.andReturn()
				.getResponse()
				.getContentAsString();
			String next = JsonPath.read(body, "$.next");

			asAdmin(get(URI.create(next))).andExpect(status().isOk())
				.andExpect(jsonPath("$.profiles[*].username").value(org.hamcrest.Matchers.contains("olsen")));
		}
	}

	@Test
	void showsEachProfileWithTheFieldsOfTheSingleProfileAnswer() throws Exception {
		long id = aProfile("alice");

		String single = asAdmin(get("/api/v1/profiles/" + id)).andReturn().getResponse().getContentAsString();
		asAdmin(get("/api/v1/profiles").param("q", "alice")).andExpect(status().isOk())
			.andExpect(jsonPath("$.profiles.length()").value(1))
			.andExpect(jsonPath("$.profiles[0]").value(JsonPath.<Object>read(single, "$")));
	}

	@Test
	void filtersByTheStartOfAUsernameEmailOrName() throws Exception {
		aProfile("alice");
		aProfile("bob");
		this.people.create(NewProfiles.aProfile("carol", "carol@partner.example", "Alicia", "Keys"), "admin");
		this.people.create(NewProfiles.aProfile("dave", "dave@example.org", "Dave", "Alison"), "admin");

		assertThat(usernames("q=ali")).containsExactly("alice", "carol", "dave");
		assertThat(usernames("q=ALI")).containsExactly("alice", "carol", "dave");
		assertThat(usernames("q=alicia k")).containsExactly("carol");
		assertThat(usernames("q=carol@partner")).containsExactly("carol");
		assertThat(usernames("q=%25")).isEmpty();
	}

	@Test
	void filtersByAreaNameIgnoringCaseOrById() throws Exception {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		aProfile("alice");
		this.people.create(NewProfiles.aProfile("eve", partners.id()), "admin");

		assertThat(usernames("area=partners")).containsExactly("eve");
		assertThat(usernames("area=" + partners.id())).containsExactly("eve");
		assertThat(usernames("area=Primary Area")).containsExactly("admin", "alice");
	}

	@Test
	void filtersByStateAsTheConsoleNamesThem() throws Exception {
		long alice = aProfile("alice");
		long bob = aProfile("bob");
		long carol = aProfile("carol");
		this.people.block(bob, "admin");
		this.people.block(carol, "admin");
		this.jdbc.update(
				"update profile set block_reason = 'AWAITING_LICENSE', awaiting_since = blocked_at where id = ?",
				carol);

		assertThat(usernames("state=active")).containsExactly("admin", "alice");
		assertThat(usernames("state=ACTIVE")).containsExactly("admin", "alice");
		assertThat(usernames("state=blocked")).containsExactly("bob", "carol");
		assertThat(usernames("state=awaiting")).containsExactly("carol");
		assertThat(alice).isLessThan(bob);
	}

	@Test
	void filtersByDaysWithoutASignIn() throws Exception {
		long signedInLongAgo = aProfile("alice");
		long signedInLately = aProfile("bob");
		long neverSignedInOld = aProfile("carol");
		aProfile("dave");
		signedIn(signedInLongAgo, Duration.ofDays(100));
		signedIn(signedInLately, Duration.ofDays(10));
		this.jdbc.update("update profile set created_at = ? where id = ?", daysAgo(Duration.ofDays(200)),
				neverSignedInOld);
		this.jdbc.update("update profile set created_at = ? where built_in = true", daysAgo(Duration.ofDays(1)));

		assertThat(usernames("dormantDays=90")).containsExactly("alice", "carol");
		assertThat(usernames("dormantDays=5")).containsExactly("alice", "bob", "carol");
		assertThat(usernames("dormantDays=" + ProfileQuery.MAX_DORMANT_DAYS)).isEmpty();
	}

	@Test
	void combinesTheFilters() throws Exception {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		long anna = this.people.create(NewProfiles.aProfile("anna", partners.id()), "admin").id();
		long anton = this.people.create(NewProfiles.aProfile("anton", partners.id()), "admin").id();
		long andy = this.people.create(NewProfiles.aProfile("andy", partners.id()), "admin").id();
		this.people.create(NewProfiles.aProfile("bert", partners.id()), "admin");
		long annika = aProfile("annika");
		signedIn(anna, Duration.ofDays(100));
		signedIn(anton, Duration.ofDays(100));
		signedIn(andy, Duration.ofDays(1));
		signedIn(annika, Duration.ofDays(100));
		this.people.block(anton, "admin");

		assertThat(usernames("q=an&area=Partners&state=active&dormantDays=30")).containsExactly("anna");
		assertThat(usernames("q=an&area=Partners&dormantDays=30")).containsExactly("anna", "anton");
		assertThat(usernames("q=an&state=active&dormantDays=30")).containsExactly("anna", "annika");
		assertThat(usernames("q=an&area=Partners&state=active")).containsExactly("anna", "andy");
	}

	@Test
	void answersBadParametersWithProblemsNamingThem() throws Exception {
		badParameter("limit", "0");
		badParameter("limit", "1001");
		badParameter("limit", "many");
		badParameter("dormantDays", "0");
		badParameter("dormantDays", "-3");
		badParameter("dormantDays", String.valueOf(ProfileQuery.MAX_DORMANT_DAYS + 1));
		badParameter("dormantDays", "99999999999");
		badParameter("after", "-1");
		badParameter("after", "last");
		badParameter("state", "sleeping").andExpect(jsonPath("$.errors.state", containsString("sleeping")))
			.andExpect(jsonPath("$.code").value("profile.api.state"));
		badParameter("area", "Nowhere").andExpect(jsonPath("$.errors.area", containsString("Nowhere")))
			.andExpect(jsonPath("$.code").value("area.notFound"));
		badParameter("area", "999999999");
	}

	@Test
	void takesTheLargestPageAndAnEmptyOne() throws Exception {
		aProfile("alice");

		asAdmin(get("/api/v1/profiles").param("limit", "1000")).andExpect(status().isOk())
			.andExpect(jsonPath("$.profiles.length()").value(2));
		asAdmin(get("/api/v1/profiles").param("after", String.valueOf(Long.MAX_VALUE))).andExpect(status().isOk())
			.andExpect(jsonPath("$.profiles.length()").value(0))
			.andExpect(jsonPath("$.next").value(nullValue()));
	}

	@Test
	void letsOnlyPeopleAdministratorsList() throws Exception {
		anOperator("sysop", true, false);
		anOperator("clerk", false, true);
		anOperator("plain", false, false);

		this.mvc.perform(get("/api/v1/profiles")).andExpect(status().isUnauthorized());
		this.mvc.perform(get("/api/v1/profiles").with(httpBasic("admin", "wrong-password")))
			.andExpect(status().isUnauthorized());
		this.mvc.perform(get("/api/v1/profiles").with(httpBasic("sysop", OPERATOR_PASSWORD)))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/api/v1/profiles").with(httpBasic("plain", OPERATOR_PASSWORD)))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/api/v1/profiles").with(httpBasic("clerk", OPERATOR_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.profiles[0].username").value("admin"));
	}

	@Test
	void letsATokenWithAnApiScopeListButNotASCIMToken() throws Exception {
		aProfile("alice");
		String reader = this.tokens
			.create("list-reader-" + System.nanoTime(), Set.of(TokenScope.API_READ), null, "admin")
			.token();
		String provisioner = this.tokens
			.create("list-scim-" + System.nanoTime(), Set.of(TokenScope.SCIM), null, "admin")
			.token();

		this.mvc.perform(get("/api/v1/profiles").param("q", "alice").header("Authorization", "Bearer " + reader))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.profiles[0].username").value("alice"));
		this.mvc.perform(get("/api/v1/profiles").header("Authorization", "Bearer " + provisioner))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/api/v1/profiles").header("Authorization", "Bearer skt_not-a-token"))
			.andExpect(status().isUnauthorized());
	}

	private ResultActions badParameter(String name, String value) throws Exception {
		return asAdmin(get("/api/v1/profiles").param(name, value)).andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(400))
			.andExpect(jsonPath("$.errors." + name).isString())
			.andExpect(jsonPath("$.detail", containsString(name)))
			.andExpect(jsonPath("$.code").isString())
			.andExpect(jsonPath("$.message").isString());
	}

	private List<String> usernames(String query) throws Exception {
		String body = asAdmin(get(URI.create("/api/v1/profiles?" + query.replace(" ", "%20"))))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		return JsonPath.read(body, "$.profiles[*].username");
	}

	private long aProfile(String username) {
		return this.people.create(NewProfiles.aProfile(username), "admin").id();
	}

	private void signedIn(long id, Duration ago) {
		this.jdbc.update("update profile set last_sign_in_at = ? where id = ?", daysAgo(ago), id);
	}

	private static Timestamp daysAgo(Duration ago) {
		return Timestamp.from(Instant.now().minus(ago));
	}

	private long anOperator(String username, boolean sysadmin, boolean peopleAdmin) {
		long id = this.people.create(NewProfiles.aProfile(username, null, OPERATOR_PASSWORD), "admin").id();
		this.people.changeRoles(id, sysadmin, peopleAdmin, "admin");
		return id;
	}

	private ResultActions asAdmin(MockHttpServletRequestBuilder request) throws Exception {
		return this.mvc.perform(request.with(httpBasic("admin", ProfileApiTests.ADMIN_PASSWORD)));
	}

}
