package io.seatkeeper.people;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Supplier;
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
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
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
 * A corpus of malformed uploads ({@code src/test/resources/csv/malformed}), each with the
 * message it must produce ({@code expected.properties}): a file that cannot be read is
 * refused whole with its message, in the console (the upload form again) and through the
 * API (a 400 problem), and keeps nothing; a file whose rows break rules is previewed with
 * those rows invalid and their reasons. Never a 500, never a stack trace, nothing
 * created. On H2 and on PostgreSQL.
 */
@SpringBootTest(properties = { "seatkeeper.admin.password=" + MalformedCsvTests.ADMIN_PASSWORD,
		"spring.datasource.hikari.maximum-pool-size=16" })
@AutoConfigureMockMvc
@Tag("database")
class MalformedCsvTests {

	static final String ADMIN_PASSWORD = "built-in-secret-1";

	private static final String CORPUS = "/csv/malformed/";

	private static final Pattern INVALID = Pattern.compile("invalid (\\d+): (.+)");

	private static final Pattern ROW = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL);

	private static final Pattern CELL = Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL);

	/** Files too big to commit, made at test time. */
	private static final Map<String, Supplier<byte[]>> GENERATED = Map.of("5-mb-single-line.csv",
			MalformedCsvTests::aFiveMegabyteSingleLine, "10000-columns.csv", MalformedCsvTests::tenThousandColumns);

	@Autowired
	MockMvc mvc;

	@Autowired
	LicenseService licenses;

	@Autowired
	JdbcTemplate jdbc;

	private int profilesBefore;

	@BeforeEach
	void emptyPools() {
		Pools.reset(this.jdbc, 5, 1);
		this.jdbc.update("delete from import_job");
		this.profilesBefore = profileRows();
	}

	@AfterEach
	void nothingWasCreated() {
		assertThat(profileRows()).isEqualTo(this.profilesBefore);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	@Test
	void everyFileOfTheCorpusHasItsExpectedMessage() throws Exception {
		TreeSet<String> committed = new TreeSet<>();
		try (Stream<Path> files = Files.list(corpusFolder())) {
			files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.endsWith(".csv"))
				.forEach(committed::add);
		}
		TreeSet<String> expected = new TreeSet<>(expected().stringPropertyNames());
		expected.removeAll(GENERATED.keySet());

		assertThat(committed).hasSizeGreaterThanOrEqualTo(30).isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("corpus")
	void theConsoleAnswersEachMalformedFileWithItsMessage(String file) throws Exception {
		String expected = expected().getProperty(file);

		MvcResult result = this.mvc
			.perform(multipart("/admin/people/import")
				.file(new MockMultipartFile("file", file, "text/csv", bytesOf(file)))
				.with(csrf())
				.with(user("admin").roles("SYSADMIN", "PEOPLE_ADMIN")))
			.andReturn();

		int status = result.getResponse().getStatus();
		String page = result.getResponse().getContentAsString(StandardCharsets.UTF_8);
		assertNoStackTrace(page);
		if (expected.startsWith("rejected: ")) {
			assertThat(status).as("the upload form again").isEqualTo(200);
			assertThat(page).contains("id=\"upload-form\"");
			assertThat(errorOf(page)).isEqualTo(expected.substring("rejected: ".length()));
			assertThat(importJobs()).as("nothing is kept of a rejected file").isZero();
		}
		else {
			assertThat(status).as("redirected to the preview").isEqualTo(302);
			String preview = this.mvc
				.perform(get(result.getResponse().getRedirectedUrl())
					.with(user("admin").roles("SYSADMIN", "PEOPLE_ADMIN")))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString(StandardCharsets.UTF_8);
			assertNoStackTrace(preview);
			Matcher invalid = invalid(expected);
			assertThat(invalidRows(preview)).containsExactly(invalid.group(1) + " " + invalid.group(2));
			assertThat(preview).as("the valid rows are previewed").contains("id=\"rows-CREATE\"");
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("corpus")
	void theApiAnswersEachMalformedFileWithItsMessage(String file) throws Exception {
		String expected = expected().getProperty(file);

		if (expected.startsWith("rejected: ")) {
			String message = expected.substring("rejected: ".length());
			MvcResult result = this.mvc
				.perform(post("/api/v1/profiles/import").with(httpBasic("admin", ADMIN_PASSWORD))
					.contentType("text/csv")
					.content(bytesOf(file)))
				.andExpect(status().isBadRequest())
				.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.detail").value(message))
				.andExpect(jsonPath("$.errors.file").value(message))
				.andReturn();
			assertNoStackTrace(result.getResponse().getContentAsString(StandardCharsets.UTF_8));
			assertThat(importJobs()).as("nothing is kept of a rejected file").isZero();
		}
		else {
			Matcher invalid = invalid(expected);
			MvcResult result = this.mvc
				.perform(post("/api/v1/profiles/import").param("dryRun", "true")
					.with(httpBasic("admin", ADMIN_PASSWORD))
					.contentType("text/csv")
					.content(bytesOf(file)))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.counts.invalid").value(1))
				.andExpect(jsonPath("$.rows[?(@.outcome == 'INVALID')].line").value(Integer.parseInt(invalid.group(1))))
				.andExpect(jsonPath("$.rows[?(@.outcome == 'INVALID')].reason").value(invalid.group(2)))
				.andExpect(jsonPath("$.rows[?(@.outcome == 'CREATE')]").isNotEmpty())
				.andReturn();
			assertNoStackTrace(result.getResponse().getContentAsString(StandardCharsets.UTF_8));
			assertThat(importJobs()).isZero();
		}
	}

	static Stream<String> corpus() throws IOException {
		return expected().stringPropertyNames().stream().sorted();
	}

	// The corpus

	private static Properties expected() throws IOException {
		Properties expected = new Properties();
		try (InputStream in = MalformedCsvTests.class.getResourceAsStream(CORPUS + "expected.properties")) {
			expected.load(new InputStreamReader(in, StandardCharsets.UTF_8));
		}
		return expected;
	}

	private static byte[] bytesOf(String file) throws IOException {
		Supplier<byte[]> generator = GENERATED.get(file);
		if (generator != null) {
			return generator.get();
		}
		try (InputStream in = MalformedCsvTests.class.getResourceAsStream(CORPUS + file)) {
			assertThat(in).as("the corpus holds " + file).isNotNull();
			return in.readAllBytes();
		}
	}

	private static Path corpusFolder() throws URISyntaxException {
		return Path.of(MalformedCsvTests.class.getResource(CORPUS).toURI());
	}

	/**
	 * A header and one row, all on one line of 5 MB: no line break at all.
	 */
	private static byte[] aFiveMegabyteSingleLine() {
		StringBuilder line = new StringBuilder(5 * 1024 * 1024 + 64).append("username,email,first_name,");
		while (line.length() < 5 * 1024 * 1024) {
			line.append("alice");
		}
		return line.toString().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * A header of 10,000 named columns, username and email among them, and one row.
	 */
	private static byte[] tenThousandColumns() {
		StringBuilder csv = new StringBuilder("username,email");
		for (int i = 3; i <= 10_000; i++) {
			csv.append(",c").append(i);
		}
		csv.append("\nalice,alice@example.org").append(",x".repeat(9_998)).append('\n');
		return csv.toString().getBytes(StandardCharsets.UTF_8);
	}

	// Readers

	private static Matcher invalid(String expected) {
		Matcher invalid = INVALID.matcher(expected);
		assertThat(invalid.matches()).as("an expectation reads 'rejected: …' or 'invalid <line>: …': " + expected)
			.isTrue();
		return invalid;
	}

	/**
	 * The preview's invalid rows as "line reason".
	 */
	private static List<String> invalidRows(String page) {
		int at = page.indexOf("id=\"rows-INVALID\"");
		assertThat(at).as("the preview lists invalid rows").isPositive();
		String body = page.substring(page.indexOf("<tbody>", at), page.indexOf("</tbody>", at));
		List<String> rows = new ArrayList<>();
		Matcher row = ROW.matcher(body);
		while (row.find()) {
			List<String> cells = new ArrayList<>();
			Matcher cell = CELL.matcher(row.group(1));
			while (cell.find()) {
				cells.add(HtmlUtils.htmlUnescape(cell.group(1)));
			}
			rows.add(cells.get(0) + " " + cells.get(cells.size() - 1));
		}
		return rows;
	}

	private static String errorOf(String page) {
		int at = page.indexOf("id=\"import-error\"");
		assertThat(at).as("the page shows why the file was refused").isPositive();
		return HtmlUtils.htmlUnescape(page.substring(page.indexOf('>', at) + 1, page.indexOf("</div>", at)));
	}

	private static void assertNoStackTrace(String body) {
		assertThat(body).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("org.apache.commons");
	}

	private int profileRows() {
		return this.jdbc.queryForObject("select count(*) from profile", Integer.class);
	}

	private int importJobs() {
		return this.jdbc.queryForObject("select count(*) from import_job", Integer.class);
	}

}
