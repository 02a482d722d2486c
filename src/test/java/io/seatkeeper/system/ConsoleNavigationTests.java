package io.seatkeeper.system;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.seatkeeper.NewProfiles;
import io.seatkeeper.Pools;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.PeopleService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The console's navigation marks the entry of the current page, every page below the
 * first level has breadcrumbs, and the favicon is served before anyone signs in.
 */
@SpringBootTest
@AutoConfigureMockMvc
@Tag("database")
class ConsoleNavigationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	PeopleService people;

	@Autowired
	AreaService areas;

	private long profile;

	private long area;

	@BeforeEach
	void aProfileAndAnArea() {
		Pools.reset(this.jdbc, 5, 5);
		this.profile = this.people.create(NewProfiles.aProfile("olivia"), "admin").id();
		this.area = this.areas.createExtranet("Partners", "admin").id();
	}

	@Test
	void marksTheCurrentPagesEntryAndTheEntryOfThePagesBelowIt() throws Exception {
		Map<String, String> entries = Map.of("/admin/system/license", "/admin/system/license",
				"/admin/system/license/requests", "/admin/system/license", "/admin/system/tokens", "/admin/system",
				"/admin/people/new", "/admin/people", "/admin/system/areas/" + this.area, "/admin/system/areas", "/",
				"/");
		for (Map.Entry<String, String> entry : entries.entrySet()) {
			String page = page(entry.getKey());
			String current = entry.getKey().equals(entry.getValue()) ? "page" : "true";
			assertThat(page).as(entry.getKey())
				.containsPattern("<a class=\"nav-link active\" href=\"" + entry.getValue() + "\"\\s+aria-current=\""
						+ current + "\">")
				.containsOnlyOnce("nav-link active");
		}
	}

	@Test
	void everyPageBelowTheFirstLevelHasBreadcrumbs() throws Exception {
		for (String path : List.of("/admin/system/license", "/admin/system/license/requests", "/admin/system/areas",
				"/admin/system/areas/" + this.area, "/admin/system/audit", "/admin/system/mail",
				"/admin/system/directory", "/admin/system/tokens", "/admin/people/new", "/admin/people/" + this.profile,
				"/admin/people/import", "/admin/people/export", "/admin/people/dormant")) {
			assertThat(page(path)).as(path)
				.contains("<nav aria-label=\"Breadcrumb\"><ol class=\"breadcrumb\">")
				.contains("<li class=\"breadcrumb-item active\" aria-current=\"page\">");
		}
		for (String path : List.of("/", "/admin/system", "/admin/people")) {
			assertThat(page(path)).as(path).doesNotContain("class=\"breadcrumb\"");
		}
	}

	@Test
	void servesTheFaviconBeforeSigningIn() throws Exception {
		this.mvc.perform(get("/favicon.svg"))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("image/svg+xml"));
		this.mvc.perform(get("/favicon.ico")).andExpect(status().isOk());
	}

	private String page(String path) throws Exception {
		return this.mvc.perform(get(path).with(user("admin").roles("SYSADMIN", "PEOPLE_ADMIN")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
	}

}
