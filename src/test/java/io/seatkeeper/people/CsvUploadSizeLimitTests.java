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
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.web.util.HtmlUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A CSV upload over the configured size limit ({@code seatkeeper.import.max-file-size},
 * here 1 KB) is refused with a message that names the limit, in the console and through
 * the API, and creates nothing. On H2 and on PostgreSQL.
 */
@SpringBootTest(properties = { "seatkeeper.import.max-file-size=1KB",
		"seatkeeper.admin.password=" + CsvUploadSizeLimitTests.ADMIN_PASSWORD })
@AutoConfigureMockMvc
@Tag("database")
class CsvUploadSizeLimitTests {

	static final String ADMIN_PASSWORD = "built-in-secret-1";

	@Autowired
	MockMvc mvc;

	@Autowired
	MessageSource messages;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void emptyPools() {
		Pools.reset(this.jdbc, 100, 0);
		this.jdbc.update("delete from import_job");
	}

	@Test
	void theUploadFormNamesTheLimit() throws Exception {
		String page = this.mvc.perform(get("/admin/people/import").with(admin()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);

		assertThat(HtmlUtils.htmlUnescape(page)).contains(text("import.file.hint", "1 KB"));
	}

	@Test
	void theConsoleShowsTheFormAgainWithTheLimitAndCreatesNothing() throws Exception {
		String page = this.mvc
			.perform(multipart("/admin/people/import")
				.file(new MockMultipartFile("file", "people.csv", "text/csv", aFileOver1Kb()))
				.with(csrf())
				.with(admin()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);

		assertThat(page).contains("id=\"upload-form\"");
		assertThat(errorOf(page)).isEqualTo(text("import.file.tooLarge", "1 KB"));
		assertNothingCreated();
	}

	@Test
	void aFileJustUnderTheLimitIsPreviewed() throws Exception {
		byte[] file = aFileOf(1024);

		this.mvc
			.perform(multipart("/admin/people/import")
				.file(new MockMultipartFile("file", "people.csv", "text/csv", file))
				.with(csrf())
				.with(admin()))
			.andExpect(status().is3xxRedirection());

		assertThat(this.jdbc.queryForObject("select count(*) from import_job", Integer.class)).isOne();
	}

	@Test
	void theApiAnswers413WithTheLimitAndCreatesNothing() throws Exception {
		this.mvc
			.perform(post("/api/v1/profiles/import").with(httpBasic("admin", ADMIN_PASSWORD))
				.contentType("text/csv")
				.content(aFileOver1Kb()))
			.andExpect(status().isPayloadTooLarge())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value(text("import.file.tooLarge", "1 KB")));

		assertNothingCreated();
	}

	private void assertNothingCreated() {
		assertThat(this.jdbc.queryForObject("select count(*) from profile where built_in = false", Integer.class))
			.isZero();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
		assertThat(this.jdbc.queryForObject("select count(*) from import_job", Integer.class)).isZero();
	}

	private static byte[] aFileOver1Kb() {
		return aFileOf(1025);
	}

	/**
	 * A valid upload of exactly {@code size} bytes.
	 */
	private static byte[] aFileOf(int size) {
		StringBuilder csv = new StringBuilder("username,email,first_name\n");
		for (int i = 0; csv.length() < size - 60; i++) {
			csv.append("user").append(i).append(",user").append(i).append("@example.org,User\n");
		}
		csv.append("last,last@example.org,");
		while (csv.length() < size - 1) {
			csv.append('a');
		}
		return csv.append('\n').toString().getBytes(StandardCharsets.UTF_8);
	}

	private static RequestPostProcessor admin() {
		return user("admin").roles("SYSADMIN", "PEOPLE_ADMIN");
	}

	private static String errorOf(String page) {
		int at = page.indexOf("id=\"import-error\"");
		assertThat(at).as("the page shows why the file was refused").isPositive();
		return HtmlUtils.htmlUnescape(page.substring(page.indexOf('>', at) + 1, page.indexOf("</div>", at)));
	}

	private String text(String code, Object... arguments) {
		return this.messages.getMessage(code, arguments, Locale.ENGLISH);
	}

}
