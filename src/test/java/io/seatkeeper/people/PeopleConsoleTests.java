package io.seatkeeper.people;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.seatkeeper.Pools;
import io.seatkeeper.license.LicenseService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.HtmlUtils;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The People console through HTTP, signed in as the built-in administrator: adding a
 * user, the form's errors, the refusals of R5, block, reinstate, move and delete on the
 * profile page, and the list's search, filters and paging. On H2 and on PostgreSQL.
 */
@SpringBootTest
@AutoConfigureMockMvc
@Tag("database")
class PeopleConsoleTests {

	private static final Pattern PROFILE_LINK = Pattern
		.compile("<td><a href=\"/admin/people/(\\d+)\">([^<]*)</a></td>");

	private static final Pattern NEXT_PAGE = Pattern.compile("<a\\b[^>]*\\bid=\"next-page\"[^>]*>");

	private static final Pattern HREF = Pattern.compile("\\bhref=\"([^\"]*)\"");

	@Autowired
	MockMvc mvc;

	@Autowired
	PeopleService people;

	@Autowired
	AreaService areas;

	@Autowired
	LicenseService licenses;

	@Autowired
	MessageSource messages;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void emptyPools() {
		Pools.reset(this.jdbc, 5, 1);
	}

	@AfterEach
	void countersEqualTheRows() {
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	// Adding one user

	@Test
	void addsActiveProfileAndShowsItsPage() throws Exception {
		MvcResult result = this.mvc.perform(addUser(aForm("alice")))
			.andExpect(status().is3xxRedirection())
			.andExpect(redirectedUrlPattern("/admin/people/*"))
			.andExpect(flash().attribute("success", "profile.created"))
			.andReturn();

		long id = idOf("alice");
		assertThat(result.getResponse().getRedirectedUrl()).isEqualTo("/admin/people/" + id);
		assertThat(stateOf("alice")).isEqualTo("ACTIVE");
		assertThat(this.jdbc.queryForObject("select pool from profile where id = ?", String.class, id))
			.isEqualTo("PRIMARY");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
		String page = followRedirect(result);
		assertThat(page).contains(text("profile.created", "alice"))
			.contains(text("profile.license.active", text("pool.PRIMARY")));
	}

	@Test
	void theAddFormOffersThePrimaryAreaFirst() throws Exception {
		this.areas.createExtranet("Partners", "admin");
		this.areas.createExtranet("Contractors", "admin");

		String page = page("/admin/people/new");

		int select = page.indexOf("id=\"areaId\"");
		assertThat(select).isPositive();
		Matcher option = Pattern.compile("<option value=\"(\\d+)\"[^>]*>([^<]*)</option>")
			.matcher(page.substring(select));
		assertThat(option.find()).isTrue();
		assertThat(option.group(2)).isEqualTo("Primary Area");
	}

	@ParameterizedTest(name = "{0} = \"{1}\"")
	@MethodSource("invalidFields")
	void showsTheFormAgainWithAMessageBesideTheInvalidField(String field, String value, String code, Object[] arguments)
			throws Exception {
		int before = profileRows();
		MultiValueMap<String, String> form = aForm("alice");
		form.set(field, value);

		String page = this.mvc.perform(addUser(form))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);

		assertThat(page).contains("action=\"/admin/people/new\"");
		assertThat(fieldError(page, field)).contains(text(code, arguments));
		assertThat(profileRows()).isEqualTo(before);
		if (field.equals("password")) {
			// A password typed in is never sent back in the page.
			assertThat(page).doesNotContain(value).doesNotContain(HtmlUtils.htmlEscape(value));
		}
	}

	static Stream<Arguments> invalidFields() {
		return Stream.of(invalid("username", "", "NotBlank"), invalid("username", "   ", "NotBlank"),
				invalid("email", "", "NotBlank"), invalid("firstName", "", "NotBlank"),
				invalid("lastName", "", "NotBlank"),
				invalid("username", "a".repeat(65), "Size", "username", ProfileRules.USERNAME_MAX),
				invalid("email", "a".repeat(243) + "@example.org", "Size", "email", ProfileRules.EMAIL_MAX),
				invalid("firstName", "F".repeat(101), "Size", "firstName", ProfileRules.NAME_MAX),
				invalid("lastName", "L".repeat(101), "Size", "lastName", ProfileRules.NAME_MAX),
				invalid("username", "alice smith", "profile.username.invalid"),
				invalid("username", ".alice", "profile.username.invalid"),
				invalid("email", "alice.example.org", "profile.email.invalid"),
				invalid("email", "alice@example", "profile.email.invalid"),
				invalid("email", "alice smith@example.org", "profile.email.invalid"),
				invalid("areaId", "abc", "typeMismatch.areaId"), invalid("areaId", "999999", "area.notFound", "999999"),
				invalid("password", "seven77", "profile.password.invalid"),
				invalid("password", "\u00e9".repeat(37), "profile.password.invalid"),
				invalid("password", "x".repeat(73), "Size", "password", ProfileRules.PASSWORD_MAX));
	}

	@Test
	void refusesUsernameThatDiffersOnlyInCase() throws Exception {
		this.people.create(aProfile("alice"), "admin");
		int before = profileRows();

		String page = this.mvc.perform(addUser(aForm("ALICE")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);

		assertThat(fieldError(page, "username")).contains(text("profile.username.taken", "ALICE"));
		assertThat(profileRows()).isEqualTo(before);
	}

	@Test
	void storesAScriptInANameAsTextAndShowsItEscaped() throws Exception {
		MultiValueMap<String, String> form = aForm("mallory");
		form.set("firstName", "<script>alert(1)</script>");
		form.set("lastName", "<img src=x onerror=alert(2)>");

		this.mvc.perform(addUser(form)).andExpect(status().is3xxRedirection());

		assertThat(
				this.jdbc.queryForObject("select first_name from profile where username_key = 'mallory'", String.class))
			.isEqualTo("<script>alert(1)</script>");
		String profilePage = page("/admin/people/" + idOf("mallory"));
		String listPage = page("/admin/people?q=mallory");
		for (String page : List.of(profilePage, listPage)) {
			assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;")
				.contains("&lt;img src=x onerror=alert(2)&gt;")
				.doesNotContain("<script>alert")
				.doesNotContain("<img src=x");
		}
	}

	// The refusals of R5

	@Test
	void refusesNewProfileWhenPrimaryPoolIsFull() throws Exception {
		this.people.create(aProfile("alice"), "admin");
		limitPool("PRIMARY", 1);
		int before = profileRows();
		int refusals = refusals();

		String page = this.mvc.perform(addUser(aForm("bob")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);

		assertThat(page).contains(text("license.full.fact", text("pool.PRIMARY"), "Max_Users", "1", "1"))
			.contains("Max_Users = 1, 1 active")
			.contains(text("license.remedy.purchase"))
			.contains(text("license.remedy.free"))
			.contains("href=\"/admin/system/license/requests\"")
			.contains("href=\"/admin/people?state=ACTIVE\"");
		assertThat(page).contains("action=\"/admin/people/new\"");
		assertThat(profileRows()).isEqualTo(before);
		assertThat(this.people.findByUsername("bob")).isEmpty();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
		assertThat(refusals()).isEqualTo(refusals + 1);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'LICENSE_REFUSED' and subject = 'bob' and pool = 'PRIMARY'",
				Integer.class))
			.isEqualTo(1);
	}

	@Test
	void refusesReinstatementWhenPrimaryPoolIsFullAndKeepsTheProfileBlocked() throws Exception {
		ProfileView alice = this.people.create(aProfile("alice"), "admin");
		this.people.block(alice.id(), "admin");
		this.people.create(aProfile("bob"), "admin");
		limitPool("PRIMARY", 1);
		int refusals = refusals();

		String page = this.mvc.perform(post("/admin/people/" + alice.id() + "/reinstate").with(admin()).with(csrf()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);

		assertThat(page).contains(text("license.full.fact", text("pool.PRIMARY"), "Max_Users", "1", "1"))
			.contains("href=\"/admin/system/license/requests\"")
			.contains("href=\"/admin/people?state=ACTIVE\"");
		assertThat(stateOf("alice")).isEqualTo("BLOCKED");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
		assertThat(refusals()).isEqualTo(refusals + 1);
	}

	@Test
	void refusesMoveIntoAFullExtranetPoolAndKeepsTheProfileInItsArea() throws Exception {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		this.people.create(aProfile("eve", partners.id()), "admin");
		ProfileView alice = this.people.create(aProfile("alice"), "admin");

		String page = this.mvc
			.perform(post("/admin/people/" + alice.id() + "/move").param("areaId", String.valueOf(partners.id()))
				.with(admin())
				.with(csrf()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);

		assertThat(page).contains(text("license.full.fact", text("pool.EXTRANET"), "Max_extranet_users", "1", "1"));
		assertThat(areaOf("alice")).isEqualTo("Primary Area");
		assertThat(stateOf("alice")).isEqualTo("ACTIVE");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(1);
	}

	// The profile page: block, reinstate, move, delete

	@Test
	void blocksAProfileFromItsPage() throws Exception {
		ProfileView alice = this.people.create(aProfile("alice"), "admin");

		MvcResult result = this.mvc.perform(post("/admin/people/" + alice.id() + "/block").with(admin()).with(csrf()))
			.andExpect(redirectedUrl("/admin/people/" + alice.id()))
			.andExpect(flash().attribute("success", "profile.blocked"))
			.andReturn();

		assertThat(stateOf("alice")).isEqualTo("BLOCKED");
		assertThat(this.jdbc.queryForObject("select block_reason from profile where id = ?", String.class, alice.id()))
			.isEqualTo("ADMINISTRATOR");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
		assertThat(followRedirect(result)).contains(text("profile.blocked", "alice")).contains("id=\"reinstate\"");
	}

	@Test
	void reinstatesABlockedProfileFromItsPage() throws Exception {
		ProfileView alice = this.people.create(aProfile("alice"), "admin");
		this.people.block(alice.id(), "admin");

		MvcResult result = this.mvc
			.perform(post("/admin/people/" + alice.id() + "/reinstate").with(admin()).with(csrf()))
			.andExpect(redirectedUrl("/admin/people/" + alice.id()))
			.andExpect(flash().attribute("success", "profile.reinstated"))
			.andReturn();

		assertThat(stateOf("alice")).isEqualTo("ACTIVE");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
		assertThat(followRedirect(result)).contains(text("profile.reinstated", "alice")).contains("id=\"block\"");
	}

	@Test
	void movesAProfileToAnotherAreaFromItsPage() throws Exception {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		ProfileView alice = this.people.create(aProfile("alice"), "admin");

		MvcResult result = this.mvc
			.perform(post("/admin/people/" + alice.id() + "/move").param("areaId", String.valueOf(partners.id()))
				.with(admin())
				.with(csrf()))
			.andExpect(redirectedUrl("/admin/people/" + alice.id()))
			.andExpect(flash().attribute("success", "profile.moved"))
			.andReturn();

		assertThat(areaOf("alice")).isEqualTo("Partners");
		assertThat(this.jdbc.queryForObject("select pool from profile where id = ?", String.class, alice.id()))
			.isEqualTo("EXTRANET");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(1);
		assertThat(followRedirect(result)).contains(text("profile.moved", "alice"))
			.contains(text("profile.license.active", text("pool.EXTRANET")));
	}

	@Test
	void keepsTheProfileWhenTheDeletionConfirmationDoesNotMatch() throws Exception {
		ProfileView alice = this.people.create(aProfile("alice"), "admin");

		MvcResult result = this.mvc
			.perform(post("/admin/people/" + alice.id() + "/delete").param("confirmation", "alic")
				.with(admin())
				.with(csrf()))
			.andExpect(redirectedUrl("/admin/people/" + alice.id()))
			.andExpect(flash().attribute("failure", "profile.delete.notConfirmed"))
			.andReturn();

		assertThat(this.people.findByUsername("alice")).isPresent();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
		assertThat(followRedirect(result)).contains(text("profile.delete.notConfirmed", "alice"));
	}

	@Test
	void keepsTheProfileWhenTheDeletionIsNotConfirmedAtAll() throws Exception {
		ProfileView alice = this.people.create(aProfile("alice"), "admin");

		this.mvc.perform(post("/admin/people/" + alice.id() + "/delete").with(admin()).with(csrf()))
			.andExpect(redirectedUrl("/admin/people/" + alice.id()))
			.andExpect(flash().attribute("failure", "profile.delete.notConfirmed"));

		assertThat(this.people.findByUsername("alice")).isPresent();
	}

	@Test
	void deletesAProfileOnceItsUsernameIsTypedInAnyCase() throws Exception {
		ProfileView alice = this.people.create(aProfile("alice"), "admin");

		MvcResult result = this.mvc
			.perform(post("/admin/people/" + alice.id() + "/delete").param("confirmation", "ALICE")
				.with(admin())
				.with(csrf()))
			.andExpect(redirectedUrl("/admin/people"))
			.andExpect(flash().attribute("success", "profile.deleted"))
			.andReturn();

		assertThat(this.jdbc.queryForObject("select count(*) from profile where id = ?", Integer.class, alice.id()))
			.isZero();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
		assertThat(followRedirect(result)).contains(text("profile.deleted", "alice"));
	}

	@Test
	void theDeletionHintNamesTheUsernameToType() throws Exception {
		ProfileView alice = this.people.create(aProfile("alice"), "admin");

		String page = page("/admin/people/" + alice.id());

		assertThat(page).contains("id=\"delete\"")
			.contains(HtmlUtils.htmlEscape("all of the profile's data"))
			.contains("Type the username alice to confirm.");
	}

	@Test
	void theBuiltInAdministratorsPageOffersNeitherBlockNorDelete() throws Exception {
		String page = page("/admin/people/" + idOf("admin"));

		assertThat(page).contains(text("profile.builtIn"))
			.doesNotContain("id=\"block\"")
			.doesNotContain("id=\"delete\"")
			.doesNotContain("/block\"")
			.doesNotContain("/delete\"");
	}

	@Test
	void refusesACraftedBlockOfTheBuiltInAdministrator() throws Exception {
		long admin = idOf("admin");

		String page = this.mvc.perform(post("/admin/people/" + admin + "/block").with(admin()).with(csrf()))
			.andExpect(status().isConflict())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);

		assertThat(page).contains(text("profile.builtIn.protected"));
		assertThat(stateOf("admin")).isEqualTo("ACTIVE");
	}

	@Test
	void refusesACraftedDeletionOfTheBuiltInAdministrator() throws Exception {
		long admin = idOf("admin");

		MvcResult result = this.mvc.perform(
				post("/admin/people/" + admin + "/delete").param("confirmation", "admin").with(admin()).with(csrf()))
			.andExpect(redirectedUrl("/admin/people/" + admin))
			.andExpect(flash().attribute("failure", "profile.builtIn.protected"))
			.andReturn();

		assertThat(stateOf("admin")).isEqualTo("ACTIVE");
		assertThat(followRedirect(result)).contains(text("profile.builtIn.protected"));
	}

	@Test
	void refusesACraftedMoveOfTheBuiltInAdministrator() throws Exception {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		long admin = idOf("admin");

		String page = this.mvc
			.perform(post("/admin/people/" + admin + "/move").param("areaId", String.valueOf(partners.id()))
				.with(admin())
				.with(csrf()))
			.andExpect(status().isConflict())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);

		assertThat(page).contains(text("profile.builtIn.protected"));
		assertThat(areaOf("admin")).isEqualTo("Primary Area");
	}

	// Whether and why a profile uses a licence (R3)

	@Test
	void saysThatAnActiveProfileUsesALicenseOfItsPool() throws Exception {
		ProfileView alice = this.people.create(aProfile("alice"), "admin");

		assertThat(licenseLine(page("/admin/people/" + alice.id())))
			.contains(text("profile.license.active", text("pool.PRIMARY")))
			.contains("Uses a licence of the Primary pool");
	}

	@Test
	void saysThatABlockedProfileUsesNoLicenseAndWhy() throws Exception {
		ProfileView alice = this.people.create(aProfile("alice"), "admin");
		this.people.block(alice.id(), "admin");

		String line = licenseLine(page("/admin/people/" + alice.id()));

		assertThat(line).contains(text("profile.license.blocked", text("reason.ADMINISTRATOR")))
			.doesNotContain("Uses a licence");
	}

	@Test
	void saysThatAProfileAwaitingALicenseUsesNone() throws Exception {
		ProfileView alice = this.people.create(aProfile("alice"), "admin");
		awaitingLicense(alice);

		assertThat(licenseLine(page("/admin/people/" + alice.id())))
			.contains(text("profile.license.blocked", text("reason.AWAITING_LICENSE")));
	}

	@Test
	void saysThatTheBuiltInAdministratorUsesNoLicense() throws Exception {
		String line = licenseLine(page("/admin/people/" + idOf("admin")));

		assertThat(line).contains(text("profile.license.builtIn")).doesNotContain("Uses a licence");
	}

	// Missing and malformed records

	@Test
	void showsTheErrorPageForAProfileThatDoesNotExist() throws Exception {
		String page = this.mvc.perform(get("/admin/people/999999").with(admin()))
			.andExpect(status().isNotFound())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);

		assertThat(page).contains("id=\"error-message\"").contains(text("profile.notFound", "999999"));
	}

	@Test
	void answersBadRequestWithoutAStackTraceForAMalformedId() throws Exception {
		String page = this.mvc.perform(get("/admin/people/abc").with(admin()))
			.andExpect(status().isBadRequest())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);

		assertThat(page).doesNotContain("Exception").doesNotContain("at io.seatkeeper").doesNotContain("at org.");
	}

	// The list: search, filters, paging

	@Test
	void findsProfilesByTheStartOfTheirUsernameEmailOrNameIgnoringCase() throws Exception {
		this.people.create(aProfile("alice", "alice@example.org", "Alice", "Martin"), "admin");
		this.people.create(aProfile("bob", "rsmith@corp.example", "Robert", "Smith"), "admin");
		this.people.create(aProfile("carol", "carol@example.org", "Carol", "Martinez"), "admin");

		assertThat(search("ali")).containsExactly("alice");
		assertThat(search("ALI")).containsExactly("alice");
		assertThat(search("rsm")).containsExactly("bob");
		assertThat(search("RSmith@Corp")).containsExactly("bob");
		assertThat(search("mart")).containsExactly("alice", "carol");
		assertThat(search("Robert")).containsExactly("bob");
		assertThat(search("carol mar")).containsExactly("carol");
		assertThat(search("CAROL MARTINEZ")).containsExactly("carol");
		assertThat(search("alice mar")).containsExactly("alice");
		assertThat(search("zed")).isEmpty();
		assertThat(page("/admin/people?q=zed")).contains(text("people.empty"));
	}

	@Test
	void treatsPercentAndUnderscoreInTheSearchLiterally() throws Exception {
		this.people.create(aProfile("alice", "alice@example.org", "Alice", "Martin"), "admin");
		this.people.create(aProfile("al_ce", "alce@example.org", "Al", "Underscore"), "admin");
		this.people.create(aProfile("bob", "bob@example.org", "Bob", "100%Cotton"), "admin");

		assertThat(search("al_ce")).containsExactly("al_ce");
		assertThat(search("a%e")).isEmpty();
		assertThat(search("%")).isEmpty();
		assertThat(search("_")).isEmpty();
		assertThat(search("100%")).containsExactly("bob");
	}

	@Test
	void filtersTheListByArea() throws Exception {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		this.people.create(aProfile("alice"), "admin");
		this.people.create(aProfile("eve", partners.id()), "admin");
		long primary = this.areas.list().get(0).id();

		assertThat(listed("/admin/people?area=" + partners.id())).containsExactly("eve");
		assertThat(listed("/admin/people?area=" + primary)).containsExactly("admin", "alice");
		assertThat(listed("/admin/people")).containsExactly("admin", "alice", "eve");
	}

	@Test
	void filtersTheListByState() throws Exception {
		this.people.create(aProfile("alice"), "admin");
		ProfileView bob = this.people.create(aProfile("bob"), "admin");
		ProfileView carol = this.people.create(aProfile("carol"), "admin");
		this.people.block(bob.id(), "admin");
		awaitingLicense(carol);

		assertThat(listed("/admin/people?state=ACTIVE")).containsExactly("admin", "alice");
		assertThat(listed("/admin/people?state=BLOCKED")).containsExactly("bob", "carol");
		assertThat(listed("/admin/people?state=AWAITING")).containsExactly("carol");
		assertThat(page("/admin/people?state=AWAITING")).contains(text("badge.AWAITING_LICENSE"));
	}

	@Test
	void pagesThroughEveryProfileExactlyOnceFollowingNextPage() throws Exception {
		limitPool("PRIMARY", 200);
		for (int i = 0; i < 120; i++) {
			this.people.create(aProfile("user%03d".formatted(i)), "admin");
		}

		List<String> seen = new ArrayList<>();
		List<Integer> pageSizes = new ArrayList<>();
		String url = "/admin/people";
		while (url != null) {
			String page = page(url);
			List<String> usernames = usernames(page);
			pageSizes.add(usernames.size());
			seen.addAll(usernames);
			url = nextPage(page);
			if (url != null) {
				assertThat(url).contains("after=");
			}
			assertThat(pageSizes).hasSizeLessThanOrEqualTo(4);
		}

		assertThat(pageSizes).containsExactly(50, 50, 21);
		assertThat(seen).hasSize(121).doesNotHaveDuplicates().contains("admin", "user000", "user119");
		assertThat(new HashSet<>(seen)).hasSize(121);
		assertThat(seen).isSorted();
	}

	@Test
	void keepsTheFiltersWhenPaging() throws Exception {
		limitPool("PRIMARY", 200);
		for (int i = 0; i < 55; i++) {
			ProfileView created = this.people.create(aProfile("user%03d".formatted(i)), "admin");
			if (i % 2 == 0) {
				this.people.block(created.id(), "admin");
			}
		}
		this.people.create(aProfile("zed"), "admin");

		String first = page("/admin/people?q=user&state=ACTIVE");
		assertThat(usernames(first)).hasSize(27).allMatch((username) -> username.startsWith("user"));
		assertThat(nextPage(first)).isNull();
		String blocked = page("/admin/people?state=BLOCKED");
		assertThat(usernames(blocked)).hasSize(28);
	}

	private static Arguments invalid(String field, String value, String code, Object... arguments) {
		return Arguments.of(field, value, code, arguments);
	}

	private static RequestPostProcessor admin() {
		return user("admin").roles("SYSADMIN", "PEOPLE_ADMIN");
	}

	private static MockHttpServletRequestBuilder addUser(MultiValueMap<String, String> form) {
		return post("/admin/people/new").params(form).with(admin()).with(csrf());
	}

	private static MultiValueMap<String, String> aForm(String username) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("username", username);
		form.add("email", username + "@example.org");
		form.add("firstName", "First");
		form.add("lastName", "Last");
		form.add("areaId", "");
		form.add("password", "");
		return form;
	}

	/**
	 * Blocks the profile (freeing its licence) and marks it as awaiting a licence, as the
	 * directory sync will; no path creates awaiting profiles yet.
	 */
	private void awaitingLicense(ProfileView profile) {
		this.people.block(profile.id(), "admin");
		this.jdbc.update("update profile set state = 'BLOCKED', block_reason = 'AWAITING_LICENSE',"
				+ " awaiting_since = current_timestamp where id = ?", profile.id());
	}

	private void limitPool(String pool, int max) {
		this.jdbc.update("update license_pool set max_users = ? where pool = ?", max, pool);
	}

	private String page(String url) throws Exception {
		return this.mvc.perform(get(url).with(admin()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
	}

	private String followRedirect(MvcResult result) throws Exception {
		return this.mvc
			.perform(get(result.getResponse().getRedirectedUrl()).cookie(result.getResponse().getCookie("SESSION"))
				.with(admin()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
	}

	private List<String> listed(String url) throws Exception {
		return usernames(page(url));
	}

	private List<String> search(String text) throws Exception {
		return usernames(this.mvc.perform(get("/admin/people").param("q", text).with(admin()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8));
	}

	private static List<String> usernames(String page) {
		List<String> usernames = new ArrayList<>();
		Matcher matcher = PROFILE_LINK.matcher(page);
		while (matcher.find()) {
			usernames.add(HtmlUtils.htmlUnescape(matcher.group(2)));
		}
		return usernames;
	}

	private static String nextPage(String page) {
		Matcher link = NEXT_PAGE.matcher(page);
		if (!link.find()) {
			return null;
		}
		Matcher href = HREF.matcher(link.group());
		assertThat(href.find()).as("the Next page link has an href").isTrue();
		return HtmlUtils.htmlUnescape(href.group(1));
	}

	/**
	 * The error text shown beside a field of the form, or an empty string.
	 */
	private static String fieldError(String page, String field) {
		int at = page.indexOf("id=\"" + field + "-error\"");
		if (at < 0) {
			return "";
		}
		int start = page.indexOf('>', at) + 1;
		return page.substring(start, page.indexOf("</div>", start));
	}

	private static String licenseLine(String page) {
		int at = page.indexOf("id=\"profile-license\"");
		assertThat(at).as("the profile page says whether it uses a licence").isPositive();
		return page.substring(at, page.indexOf("</dd>", at));
	}

	private String text(String code, Object... arguments) {
		return HtmlUtils.htmlEscape(this.messages.getMessage(code, arguments, Locale.ENGLISH));
	}

	private long idOf(String username) {
		return this.jdbc.queryForObject("select id from profile where username_key = ?", Long.class,
				username.toLowerCase(Locale.ROOT));
	}

	private String stateOf(String username) {
		return this.jdbc.queryForObject("select state from profile where username_key = ?", String.class,
				username.toLowerCase(Locale.ROOT));
	}

	private String areaOf(String username) {
		return this.jdbc.queryForObject(
				"select a.name from profile p join area a on a.id = p.area_id where p.username_key = ?", String.class,
				username.toLowerCase(Locale.ROOT));
	}

	private int profileRows() {
		return this.jdbc.queryForObject("select count(*) from profile", Integer.class);
	}

	private int refusals() {
		return this.jdbc.queryForObject("select count(*) from audit_event where action = 'LICENSE_REFUSED'",
				Integer.class);
	}

}
