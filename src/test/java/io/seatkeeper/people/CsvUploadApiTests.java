package io.seatkeeper.people;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

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
import org.springframework.context.MessageSource;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.ResultMatcher;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code POST /api/v1/profiles/import}, through HTTP Basic, for HR systems that push
 * files: the dry run's JSON report, all or nothing (the default, 409 when it cannot fit)
 * and as many as fit, and 400 for an unknown mode or a file that cannot be read. On H2
 * and on PostgreSQL.
 */
@SpringBootTest(properties = { "seatkeeper.admin.password=" + CsvUploadApiTests.ADMIN_PASSWORD,
		"spring.datasource.hikari.maximum-pool-size=16" })
@AutoConfigureMockMvc
@Tag("database")
class CsvUploadApiTests {

	static final String ADMIN_PASSWORD = "built-in-secret-1";

	private static final String OPERATOR_PASSWORD = "operator-secret-1";

	private static final String HEADER = "username,email,first_name,last_name,area\n";

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

	private long auditMark;

	@BeforeEach
	void emptyPools() {
		Pools.reset(this.jdbc, 3, 1);
		this.jdbc.update("delete from import_job");
		this.auditMark = this.jdbc.queryForObject("select coalesce(max(id), 0) from audit_event", Long.class);
	}

	@AfterEach
	void countersEqualTheRows() {
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	@Test
	void dryRunReturnsTheReportAndChangesNothing() throws Exception {
		this.areas.createExtranet("Partners", "admin");
		aProfile("dave");
		String csv = HEADER + """
				alice,alice@example.org,Alice,Archer,
				Dave,dave@example.org,Dave,Doe,
				erin,not-an-address,Erin,Eve,
				bob,bob@example.org,Bob,Baker,
				carol,carol@example.org,Carol,Cook,
				paula,paula@example.org,Paula,Park,Partners
				""";

		asAdmin(importing(csv).param("dryRun", "true")).andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.dryRun").value(true))
			.andExpect(jsonPath("$.status").value("PREVIEW"))
			.andExpect(jsonPath("$.mode").value("ALL_OR_NOTHING"))
			.andExpect(jsonPath("$.jobId").isEmpty())
			.andExpect(jsonPath("$.counts.rows").value(6))
			.andExpect(jsonPath("$.counts.created").value(3))
			.andExpect(jsonPath("$.counts.skipped").value(1))
			.andExpect(jsonPath("$.counts.refused").value(1))
			.andExpect(jsonPath("$.counts.invalid").value(1))
			.andExpect(jsonPath("$.pools[0].pool").value("PRIMARY"))
			.andExpect(jsonPath("$.pools[0].needed").value(3))
			.andExpect(jsonPath("$.pools[0].free").value(2))
			.andExpect(jsonPath("$.pools[1].pool").value("EXTRANET"))
			.andExpect(jsonPath("$.pools[1].needed").value(1))
			.andExpect(jsonPath("$.pools[1].free").value(1))
			.andExpect(row(0, 2, "alice", "CREATE", null))
			.andExpect(row(1, 3, "Dave", "EXISTS", text("import.row.exists")))
			.andExpect(row(2, 4, "erin", "INVALID", text("import.row.emailInvalid")))
			.andExpect(row(3, 5, "bob", "CREATE", null))
			.andExpect(row(4, 6, "carol", "NO_LICENSE", text("import.row.noLicense", "Max_Users")))
			.andExpect(row(5, 7, "paula", "CREATE", null));

		assertThat(usernames()).containsExactlyInAnyOrder("admin", "dave");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isZero();
		assertThat(importJobs()).isZero();
		assertThat(audit("PEOPLE_IMPORTED")).isEmpty();
	}

	@Test
	void allOrNothingIsTheDefaultAndAnswers201WithTheReport() throws Exception {
		aProfile("dave");
		String csv = HEADER + """
				alice,alice@example.org,Alice,Archer,
				dave,dave@example.org,Dave,Doe,
				,nobody@example.org,No,Name,
				bob,bob@example.org,Bob,Baker,
				""";

		String location = asAdmin(importing(csv)).andExpect(status().isCreated())
			.andExpect(header().string("Location", matchesPattern("/admin/people/import/[0-9a-f-]{36}")))
			.andExpect(jsonPath("$.dryRun").value(false))
			.andExpect(jsonPath("$.status").value("DONE"))
			.andExpect(jsonPath("$.mode").value("ALL_OR_NOTHING"))
			.andExpect(jsonPath("$.counts.rows").value(4))
			.andExpect(jsonPath("$.counts.created").value(2))
			.andExpect(jsonPath("$.counts.skipped").value(1))
			.andExpect(jsonPath("$.counts.refused").value(0))
			.andExpect(jsonPath("$.counts.invalid").value(1))
			.andExpect(row(0, 2, "alice", "CREATED", null))
			.andExpect(row(1, 3, "dave", "EXISTS", text("import.row.exists")))
			.andExpect(row(2, 4, "", "INVALID", text("import.row.usernameMissing")))
			.andExpect(row(3, 5, "bob", "CREATED", null))
			.andReturn()
			.getResponse()
			.getHeader("Location");

		String jobId = location.substring(location.lastIndexOf('/') + 1);
		assertThat(usernames()).containsExactlyInAnyOrder("admin", "dave", "alice", "bob");
		assertThat(
				this.jdbc.queryForList("select source from profile where username in ('alice', 'bob')", String.class))
			.containsOnly("CSV");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(3);
		assertThat(this.jdbc.queryForObject("select status from import_job where id = ?", String.class, jobId))
			.isEqualTo("DONE");
		assertThat(audit("PEOPLE_IMPORTED")).containsExactly("admin: file=api-upload.csv, upload=" + jobId
				+ ", mode=ALL_OR_NOTHING, created=2, skipped=1, refused=0, invalid=1");
	}

	@Test
	void allOrNothingThatCannotFitAnswers409WithTheReportAndCreatesNothing() throws Exception {
		String csv = HEADER + """
				alice,alice@example.org,Alice,Archer,
				bob,bob@example.org,Bob,Baker,
				carol,carol@example.org,Carol,Cook,
				dan,dan@example.org,Dan,Dale,
				""";

		asAdmin(importing(csv).param("mode", "all-or-nothing")).andExpect(status().isConflict())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.status").value("REFUSED"))
			.andExpect(jsonPath("$.jobId").isNotEmpty())
			.andExpect(jsonPath("$.mode").value("ALL_OR_NOTHING"))
			.andExpect(jsonPath("$.counts.created").value(0))
			.andExpect(jsonPath("$.counts.refused").value(1))
			.andExpect(jsonPath("$.pools[0].pool").value("PRIMARY"))
			.andExpect(jsonPath("$.pools[0].needed").value(4))
			.andExpect(jsonPath("$.pools[0].free").value(3))
			.andExpect(row(3, 5, "dan", "NO_LICENSE", text("import.row.noLicense", "Max_Users")));

		assertThat(usernames()).containsExactly("admin");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
		assertThat(audit("LICENSE_REFUSED")).containsExactly("admin: operation=import, max=3, active=0, requested=4");
		assertThat(audit("IMPORT_REFUSED")).hasSize(1);
		assertThat(audit("PEOPLE_IMPORTED")).isEmpty();
	}

	@Test
	void asManyAsFitImportsInFileOrderAndReportsTheRestRefused() throws Exception {
		aProfile("early");
		String csv = HEADER + """
				alice,alice@example.org,Alice,Archer,
				erin,not-an-address,Erin,Eve,
				bob,bob@example.org,Bob,Baker,
				carol,carol@example.org,Carol,Cook,
				dan,dan@example.org,Dan,Dale,
				""";

		asAdmin(importing(csv).param("mode", "as-many-as-fit")).andExpect(status().isCreated())
			.andExpect(jsonPath("$.status").value("DONE"))
			.andExpect(jsonPath("$.mode").value("AS_MANY_AS_FIT"))
			.andExpect(jsonPath("$.counts.created").value(2))
			.andExpect(jsonPath("$.counts.refused").value(2))
			.andExpect(jsonPath("$.counts.invalid").value(1))
			.andExpect(row(0, 2, "alice", "CREATED", null))
			.andExpect(row(1, 3, "erin", "INVALID", text("import.row.emailInvalid")))
			.andExpect(row(2, 4, "bob", "CREATED", null))
			.andExpect(row(3, 5, "carol", "REFUSED", text("import.row.noLicense", "Max_Users")))
			.andExpect(row(4, 6, "dan", "REFUSED", text("import.row.noLicense", "Max_Users")));

		assertThat(usernames()).containsExactlyInAnyOrder("admin", "early", "alice", "bob");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(3);
		assertThat(audit("LICENSE_REFUSED")).hasSize(1);
	}

	@Test
	void importsAsARealPeopleAdministratorRecordedAsTheActor() throws Exception {
		anOperator("operator", true);

		this.mvc
			.perform(importing(HEADER + "alice,alice@example.org,Alice,Archer,\n")
				.with(httpBasic("operator", OPERATOR_PASSWORD)))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.counts.created").value(1));

		assertThat(audit("PEOPLE_IMPORTED")).singleElement().asString().startsWith("operator: ");
		assertThat(this.jdbc.queryForObject("select created_by from import_job", String.class)).isEqualTo("operator");
	}

	@Test
	void refusesAProfileWithoutThePeopleAdministratorRole() throws Exception {
		anOperator("viewer", false);

		this.mvc
			.perform(importing(HEADER + "alice,alice@example.org,Alice,Archer,\n")
				.with(httpBasic("viewer", OPERATOR_PASSWORD)))
			.andExpect(status().isForbidden());

		assertThat(usernames()).containsExactlyInAnyOrder("admin", "viewer");
	}

	@Test
	void anUnknownModeIs400AndChangesNothing() throws Exception {
		asAdmin(importing(HEADER + "alice,alice@example.org,Alice,Archer,\n").param("mode", "some-of-them"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value(text("import.api.mode", "some-of-them")))
			.andExpect(jsonPath("$.errors.mode").value(text("import.api.mode", "some-of-them")));

		assertThat(usernames()).containsExactly("admin");
		assertThat(importJobs()).isZero();
	}

	@Test
	void aMalformedFileIs400NamingTheProblem() throws Exception {
		asAdmin(importing("username;email\nalice;alice@example.org\n")).andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value(text("import.file.delimiter", ";")))
			.andExpect(jsonPath("$.errors.file").value(text("import.file.delimiter", ";")));
		asAdmin(importing(HEADER + "\"alice,alice@example.org,Alice,Archer,\n").param("dryRun", "true"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(text("import.file.unclosedQuote", "2")));
		asAdmin(importing("")).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(text("import.file.empty")));

		assertThat(usernames()).containsExactly("admin");
		assertThat(importJobs()).isZero();
	}

	// Factories and readers

	private static MockHttpServletRequestBuilder importing(String csv) {
		return post("/api/v1/profiles/import").contentType("text/csv").content(csv.getBytes(StandardCharsets.UTF_8));
	}

	private ResultActions asAdmin(MockHttpServletRequestBuilder request) throws Exception {
		return this.mvc.perform(request.with(httpBasic("admin", ADMIN_PASSWORD)));
	}

	/**
	 * Expects the report's row at {@code index}: its line, username, outcome and reason.
	 */
	private static ResultMatcher row(int index, int line, String username, String outcome, String reason) {
		String at = "$.rows[" + index + "]";
		return (result) -> {
			jsonPath(at + ".line").value(line).match(result);
			jsonPath(at + ".username").value(username).match(result);
			jsonPath(at + ".outcome").value(outcome).match(result);
			if (reason == null) {
				jsonPath(at + ".reason").doesNotExist().match(result);
			}
			else {
				jsonPath(at + ".reason").value(reason).match(result);
			}
		};
	}

	private void aProfile(String username) {
		this.people.create(NewProfiles.aProfile(username), "admin");
	}

	private void anOperator(String username, boolean peopleAdmin) {
		long id = this.people.create(NewProfiles.aProfile(username, null, OPERATOR_PASSWORD), "admin").id();
		this.people.changeRoles(id, false, peopleAdmin, "admin");
	}

	private String text(String code, Object... arguments) {
		return this.messages.getMessage(code, arguments, Locale.ENGLISH);
	}

	private List<String> usernames() {
		return this.jdbc.queryForList("select username from profile", String.class);
	}

	private int importJobs() {
		return this.jdbc.queryForObject("select count(*) from import_job", Integer.class);
	}

	private List<String> audit(String action) {
		return this.jdbc.queryForList(
				"select actor || ': ' || details from audit_event where action = ? and id > ? order by id",
				String.class, action, this.auditMark);
	}

}
