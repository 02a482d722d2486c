package io.seatkeeper.people;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.seatkeeper.Pools;
import io.seatkeeper.TestDatabase;
import org.junit.jupiter.api.AfterEach;
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
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The people list says how many profiles match, formatted for the locale, and which of
 * them the page shows ("Showing 51–60 of 60 profiles"); it counts no further than 10,000,
 * so that the count costs the same at a million profiles ("of 10,000+ profiles").
 */
@SpringBootTest
@AutoConfigureMockMvc
@Tag("database")
class PeopleListCountTests {

	private static final Pattern COUNT = Pattern.compile("<p id=\"people-count\" role=\"status\">([^<]*)</p>");

	private static final Pattern NEXT_PAGE = Pattern
		.compile("<a class=\"btn btn-outline-secondary btn-sm\" id=\"next-page\"\\s+href=\"([^\"]*)\"");

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	@AfterEach
	void noProfiles() {
		Pools.reset(this.jdbc, 10, 5);
	}

	@Test
	void saysWhichProfilesThePageShowsOfHowMany() throws Exception {
		blockedProfiles(60);

		String first = page("/admin/people?state=BLOCKED");

		assertThat(count(first)).isEqualTo("Showing 1–50 of 60 profiles");
		Matcher next = NEXT_PAGE.matcher(first);
		assertThat(next.find()).isTrue();
		String second = page(next.group(1).replace("&amp;", "&"));
		assertThat(count(second)).isEqualTo("Showing 51–60 of 60 profiles");
	}

	@Test
	void countsNoFurtherThanTenThousand() throws Exception {
		blockedProfiles(10_001);

		assertThat(count(page("/admin/people?state=BLOCKED"))).isEqualTo("Showing 1–50 of 10,000+ profiles");
		this.jdbc.update("delete from profile where username = 'user0000001'");
		assertThat(count(page("/admin/people?state=BLOCKED"))).isEqualTo("Showing 1–50 of 10,000 profiles");
	}

	/**
	 * Profiles blocked by an administrator, written in one statement: they hold no
	 * licence, so the pools' counters stay true.
	 */
	private void blockedProfiles(int profiles) {
		long primary = this.jdbc.queryForObject("select id from area where kind = 'PRIMARY'", Long.class);
		String numbers = TestDatabase.postgresql() ? "generate_series(1, " + profiles + ") as x"
				: "system_range(1, " + profiles + ")";
		this.jdbc.update("""
				insert into profile (username, username_key, email, email_key, first_name, first_name_key,
				    last_name, last_name_key, area_id, pool, state, block_reason, source, created_at, updated_at)
				select 'user' || lpad(cast(x as varchar(7)), 7, '0'), 'user' || lpad(cast(x as varchar(7)), 7, '0'),
				    'user' || x || '@example.org', 'user' || x || '@example.org', 'First', 'first', 'Last', 'last',
				    ?, 'PRIMARY', 'BLOCKED', 'ADMINISTRATOR', 'CSV', current_timestamp, current_timestamp
				from\s""" + numbers, primary);
	}

	private String page(String url) throws Exception {
		return this.mvc.perform(get(url).with(user("admin").roles("SYSADMIN", "PEOPLE_ADMIN")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
	}

	private static String count(String page) {
		Matcher count = COUNT.matcher(page);
		assertThat(count.find()).as("the result count").isTrue();
		return count.group(1).strip();
	}

}
