package io.seatkeeper.people;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.seatkeeper.Pools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.web.util.HtmlUtils;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Admin &gt; System &gt; Areas through HTTP, signed in as the built-in administrator:
 * creating, renaming and deleting Extranet areas, and what is refused (R1). On H2 and on
 * PostgreSQL.
 */
@SpringBootTest
@AutoConfigureMockMvc
@Tag("database")
class AreaConsoleTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	AreaService areas;

	@Autowired
	PeopleService people;

	@Autowired
	MessageSource messages;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void onlyThePrimaryArea() {
		Pools.reset(this.jdbc, 5, 5);
	}

	@Test
	void listsThePrimaryArea() throws Exception {
		String page = page("/admin/system/areas");

		assertThat(table(page)).contains("Primary Area").contains(text("area.kind.PRIMARY"));
		// The Primary Area offers neither rename nor delete.
		assertThat(page).doesNotContain("/admin/system/areas/" + primaryId());
	}

	@Test
	void listsThePrimaryAreaFirstAndTheExtranetAreasByName() throws Exception {
		this.areas.createExtranet("Suppliers", "admin");
		this.areas.createExtranet("Contractors", "admin");

		String table = table(page("/admin/system/areas"));

		assertThat(table.indexOf("Primary Area")).isPositive()
			.isLessThan(table.indexOf("Contractors"))
			.isLessThan(table.indexOf("Suppliers"));
		assertThat(table.indexOf("Contractors")).isLessThan(table.indexOf("Suppliers"));
	}

	@Test
	void createsAnExtranetArea() throws Exception {
		MvcResult result = create("Partners").andExpect(redirectedUrl("/admin/system/areas"))
			.andExpect(flash().attribute("success", "area.created"))
			.andReturn();

		assertThat(this.jdbc.queryForObject("select kind from area where name = 'Partners'", String.class))
			.isEqualTo("EXTRANET");
		String page = followRedirect(result);
		assertThat(page).contains(text("area.created", "Partners"));
		assertThat(table(page)).contains("Partners").contains(text("area.kind.EXTRANET"));
	}

	@Test
	void refusesAnEmptyName() throws Exception {
		assertRefusedToCreate("", text("NotBlank"));
		assertRefusedToCreate("   ", text("NotBlank"));
	}

	@Test
	void refusesANameLongerThanEightyCharacters() throws Exception {
		assertRefusedToCreate("A".repeat(81), text("Size", "name", ProfileRules.AREA_NAME_MAX));
	}

	@Test
	void refusesANameThatIsTakenIgnoringCase() throws Exception {
		this.areas.createExtranet("Partners", "admin");

		assertRefusedToCreate("PARTNERS", text("area.name.taken", "PARTNERS"));
		assertRefusedToCreate("primary area", text("area.name.taken", "primary area"));
	}

	@Test
	void renamesAnExtranetArea() throws Exception {
		AreaView partners = this.areas.createExtranet("Partners", "admin");

		assertThat(page("/admin/system/areas/" + partners.id())).contains("value=\"Partners\"");
		MvcResult result = rename(partners.id(), "Suppliers").andExpect(redirectedUrl("/admin/system/areas"))
			.andExpect(flash().attribute("success", "area.renamed"))
			.andReturn();

		assertThat(nameOf(partners.id())).isEqualTo("Suppliers");
		assertThat(followRedirect(result)).contains(text("area.renamed", "Suppliers"));
	}

	@Test
	void renamesAnAreaToADifferentCaseOfItsOwnName() throws Exception {
		AreaView partners = this.areas.createExtranet("Partners", "admin");

		rename(partners.id(), "PARTNERS").andExpect(redirectedUrl("/admin/system/areas"));

		assertThat(nameOf(partners.id())).isEqualTo("PARTNERS");
	}

	@Test
	void refusesToRenameAnAreaToATakenName() throws Exception {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		this.areas.createExtranet("Suppliers", "admin");

		String page = rename(partners.id(), "suppliers").andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);

		assertThat(fieldError(page)).contains(text("area.name.taken", "suppliers"));
		assertThat(nameOf(partners.id())).isEqualTo("Partners");
	}

	@Test
	void refusesToRenameThePrimaryArea() throws Exception {
		long primary = primaryId();

		String page = rename(primary, "Intranet").andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);

		assertThat(page).contains(text("area.primary.protected"));
		assertThat(nameOf(primary)).isEqualTo("Primary Area");
	}

	@Test
	void refusesToDeleteThePrimaryArea() throws Exception {
		long primary = primaryId();

		MvcResult result = delete(primary).andExpect(redirectedUrl("/admin/system/areas"))
			.andExpect(flash().attribute("failure", "area.primary.protected"))
			.andReturn();

		assertThat(nameOf(primary)).isEqualTo("Primary Area");
		assertThat(followRedirect(result)).contains(text("area.primary.protected"));
	}

	@Test
	void refusesToDeleteAnAreaThatHoldsProfiles() throws Exception {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		this.people.create(aProfile("eve", partners.id()), "admin");

		MvcResult result = delete(partners.id()).andExpect(redirectedUrl("/admin/system/areas"))
			.andExpect(flash().attribute("failure", "area.notEmpty"))
			.andReturn();

		assertThat(areaRows(partners.id())).isEqualTo(1);
		assertThat(followRedirect(result)).contains(text("area.notEmpty", "Partners", 1));
	}

	@Test
	void deletesAnEmptyExtranetArea() throws Exception {
		AreaView partners = this.areas.createExtranet("Partners", "admin");

		MvcResult result = delete(partners.id()).andExpect(redirectedUrl("/admin/system/areas"))
			.andExpect(flash().attribute("success", "area.deleted"))
			.andReturn();

		assertThat(areaRows(partners.id())).isZero();
		String page = followRedirect(result);
		assertThat(page).contains(text("area.deleted", "Partners"));
		assertThat(table(page)).doesNotContain("Partners");
	}

	@Test
	void showsTheErrorPageForAnAreaThatDoesNotExist() throws Exception {
		String page = this.mvc.perform(get("/admin/system/areas/999999").with(admin()))
			.andExpect(status().isNotFound())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);

		assertThat(page).contains("id=\"error-message\"").contains(text("area.notFound", "999999"));
	}

	private void assertRefusedToCreate(String name, String message) throws Exception {
		int before = this.jdbc.queryForObject("select count(*) from area", Integer.class);

		String page = create(name).andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);

		assertThat(fieldError(page)).contains(message);
		assertThat(this.jdbc.queryForObject("select count(*) from area", Integer.class)).isEqualTo(before);
	}

	private static RequestPostProcessor admin() {
		return user("admin").roles("SYSADMIN", "PEOPLE_ADMIN");
	}

	private ResultActions create(String name) throws Exception {
		return this.mvc.perform(post("/admin/system/areas").param("name", name).with(admin()).with(csrf()));
	}

	private ResultActions rename(long id, String name) throws Exception {
		return this.mvc.perform(post("/admin/system/areas/" + id).param("name", name).with(admin()).with(csrf()));
	}

	private ResultActions delete(long id) throws Exception {
		return this.mvc.perform(post("/admin/system/areas/" + id + "/delete").with(admin()).with(csrf()));
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

	private static String table(String page) {
		int at = page.indexOf("id=\"areas-table\"");
		assertThat(at).as("the page lists the areas").isPositive();
		return page.substring(at, page.indexOf("</table>", at));
	}

	/**
	 * The error text shown beside the name field, or an empty string.
	 */
	private static String fieldError(String page) {
		int at = page.indexOf("id=\"name-error\"");
		if (at < 0) {
			return "";
		}
		int start = page.indexOf('>', at) + 1;
		return page.substring(start, page.indexOf("</div>", start));
	}

	private String text(String code, Object... arguments) {
		return HtmlUtils.htmlEscape(this.messages.getMessage(code, arguments, Locale.ENGLISH));
	}

	private long primaryId() {
		return this.jdbc.queryForObject("select id from area where kind = 'PRIMARY'", Long.class);
	}

	private String nameOf(long id) {
		return this.jdbc.queryForObject("select name from area where id = ?", String.class, id);
	}

	private int areaRows(long id) {
		return this.jdbc.queryForObject("select count(*) from area where id = ?", Integer.class, id);
	}

}
