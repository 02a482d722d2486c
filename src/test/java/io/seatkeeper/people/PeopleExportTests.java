package io.seatkeeper.people;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.seatkeeper.Pools;
import io.seatkeeper.license.LicenseService;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.web.util.HtmlUtils;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The people export (R12) through HTTP: the form, the download's name, type, columns,
 * rows and order, {@code Yes}/{@code No}, the filters, the byte-order mark for Excel,
 * formula cells neutralised, awkward names surviving a round trip through commons-csv,
 * bad input answered without a 500, the audit line of every export, and the same export
 * through {@code GET /api/v1/profiles.csv}. Every file is read back with commons-csv. On
 * H2 and on PostgreSQL.
 */
@SpringBootTest
@AutoConfigureMockMvc
@Tag("database")
class PeopleExportTests {

	private static final String PASSWORD = "correct-horse-battery";

	private static final byte[] BYTE_ORDER_MARK = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

	private static final Pattern COLUMN_BOX = Pattern.compile("<input\\b[^>]*\\bname=\"columns\"[^>]*>");

	private static final Pattern COLUMN_LABEL = Pattern
		.compile("<label\\b[^>]*\\bfor=\"column-([A-Z_]+)\"[^>]*>([^<]*)</label>");

	private static final Pattern VALUE = Pattern.compile("\\bvalue=\"([^\"]*)\"");

	private static final Pattern OPTION = Pattern.compile("<option\\b[^>]*\\bvalue=\"([^\"]*)\"[^>]*>([^<]*)</option>");

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
		Pools.reset(this.jdbc, 20, 10);
	}

	@AfterEach
	void countersEqualTheRows() {
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	// The form

	@Test
	void showsTheFormWithEveryColumnAndTheAreaAndStateFilters() throws Exception {
		AreaView partners = this.areas.createExtranet("Partners", "admin");

		String page = page("/admin/people/export");

		assertThat(page).contains("action=\"/admin/people/export\"").contains(text("export.title"));
		List<String> boxes = new ArrayList<>();
		List<String> ticked = new ArrayList<>();
		Matcher box = COLUMN_BOX.matcher(page);
		while (box.find()) {
			Matcher value = VALUE.matcher(box.group());
			assertThat(value.find()).isTrue();
			boxes.add(value.group(1));
			if (box.group().contains("checked")) {
				ticked.add(value.group(1));
			}
		}
		assertThat(boxes).containsExactly(names(ExportColumn.values()));
		assertThat(ticked).containsExactly("USERNAME", "FIRST_NAME", "LAST_NAME", "EMAIL", "AREA", "ACCOUNT_STATE",
				"USES_LICENSE");
		Map<String, String> labels = new LinkedHashMap<>();
		Matcher label = COLUMN_LABEL.matcher(page);
		while (label.find()) {
			labels.put(label.group(1), HtmlUtils.htmlUnescape(label.group(2)));
		}
		Map<String, String> expected = new LinkedHashMap<>();
		for (ExportColumn column : ExportColumn.values()) {
			expected.put(column.name(), text("export.column." + column.name()));
		}
		assertThat(labels).containsExactlyEntriesOf(expected);
		assertThat(expected.values()).contains("Username", "First name", "Last name", "E-mail", "Area", "Account state",
				"Uses licence", "Blocked reason", "Source", "Created", "Last sign-in");
		assertThat(options(page, "area")).containsExactly(List.of("", text("people.any")),
				List.of(String.valueOf(primaryAreaId()), "Primary Area"),
				List.of(String.valueOf(partners.id()), "Partners"));
		assertThat(options(page, "state")).containsExactly(List.of("", text("people.any")),
				List.of("ACTIVE", text("state.ACTIVE")), List.of("BLOCKED", text("state.BLOCKED")),
				List.of("AWAITING", text("state.AWAITING")), List.of("DORMANT", text("state.DORMANT")));
		assertThat(page).contains("name=\"forExcel\"").contains(text("export.forExcel"));
	}

	// The download

	@Test
	void downloadsPeopleCsvNamedForTodayAsUtf8() throws Exception {
		LocalDate before = LocalDate.now();

		MockHttpServletResponse response = this.mvc.perform(exportForm("USERNAME")).andReturn().getResponse();

		LocalDate after = LocalDate.now();
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getHeader(HttpHeaders.CONTENT_DISPOSITION)).isIn(
				"attachment; filename=\"people-" + before + ".csv\"",
				"attachment; filename=\"people-" + after + ".csv\"");
		assertThat(before.toString()).matches("\\d{4}-\\d{2}-\\d{2}");
		MediaType type = MediaType.parseMediaType(response.getContentType());
		assertThat(type.isCompatibleWith(MediaType.parseMediaType("text/csv"))).isTrue();
		assertThat(type.getCharset()).isEqualTo(StandardCharsets.UTF_8);
		assertThat(csv(response)).containsExactly(List.of("Username"), List.of("admin"));
	}

	@Test
	void writesTheTickedColumnsInTheFormsOrderWithOneRowPerProfileSortedByUsername() throws Exception {
		create(aProfile("carol"));
		create(aProfile("Bob"));
		block("Bob");
		create(aProfile("alice"));

		List<List<String>> rows = download(exportForm("ACCOUNT_STATE", "USERNAME", "AREA"));

		assertThat(rows).containsExactly(List.of("Username", "Area", "Account state"),
				List.of("admin", "Primary Area", "Yes"), List.of("alice", "Primary Area", "Yes"),
				List.of("Bob", "Primary Area", "No"), List.of("carol", "Primary Area", "Yes"));
	}

	@Test
	void writesEveryColumnOfAProfile() throws Exception {
		create(aProfile("alice", "Alice@Example.org", "Alice", "Martin"));

		List<List<String>> rows = download(exportForm(names(ExportColumn.values())));

		assertThat(rows.get(0)).containsExactly("Username", "First name", "Last name", "E-mail", "Area",
				"Account state", "Uses licence", "Blocked reason", "Source", "Created", "Last sign-in");
		assertThat(rows).hasSize(3);
		List<String> alice = rows.get(2);
		assertThat(alice.subList(0, 9)).containsExactly("alice", "Alice", "Martin", "Alice@Example.org", "Primary Area",
				"Yes", "Yes", "", text("source.LOCAL"));
		assertThat(alice.get(9)).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
		assertThat(alice.get(10)).isEmpty();
	}

	@Test
	void marksActiveProfilesYesAndBlockedProfilesNoInAccountStateWhateverTheReason() throws Exception {
		create(aProfile("alice"));
		create(aProfile("bob"));
		block("bob");
		create(aProfile("carol"));
		awaitingLicense("carol");
		create(aProfile("dave"));
		blockedByDirectory("dave");

		List<List<String>> rows = download(exportForm("USERNAME", "ACCOUNT_STATE", "USES_LICENSE", "BLOCKED_REASON"));

		assertThat(rows).containsExactly(List.of("Username", "Account state", "Uses licence", "Blocked reason"),
				List.of("admin", "Yes", "No", ""), List.of("alice", "Yes", "Yes", ""),
				List.of("bob", "No", "No", text("reason.ADMINISTRATOR")),
				List.of("carol", "No", "No", text("reason.AWAITING_LICENSE")),
				List.of("dave", "No", "No", text("reason.DIRECTORY")));
		assertThat(text("reason.ADMINISTRATOR")).isEqualTo("blocked by an administrator");
	}

	@Test
	void includesTheBuiltInAdministratorInAnUnfilteredExportAsUsingNoLicence() throws Exception {
		List<List<String>> rows = download(exportForm("USERNAME", "ACCOUNT_STATE", "USES_LICENSE"));

		assertThat(rows).containsExactly(List.of("Username", "Account state", "Uses licence"),
				List.of("admin", "Yes", "No"));
	}

	// Filters

	@Test
	void exportsOnlyTheProfilesOfTheChosenArea() throws Exception {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		this.areas.createExtranet("Suppliers", "admin");
		create(aProfile("alice"));
		create(aProfile("eve", partners.id()));
		create(aProfile("frank", partners.id()));
		block("frank");

		assertThat(usernames(download(exportForm("USERNAME").param("area", String.valueOf(partners.id())))))
			.containsExactly("eve", "frank");
		assertThat(usernames(download(exportForm("USERNAME").param("area", String.valueOf(primaryAreaId())))))
			.containsExactly("admin", "alice");
		assertThat(usernames(download(exportForm("USERNAME").param("area", "")))).containsExactly("admin", "alice",
				"eve", "frank");
		long suppliers = this.areas.findByName("Suppliers").orElseThrow().id();
		assertThat(download(exportForm("USERNAME").param("area", String.valueOf(suppliers))))
			.containsExactly(List.of("Username"));
	}

	@Test
	void exportsOnlyTheProfilesInTheChosenState() throws Exception {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		create(aProfile("alice"));
		create(aProfile("bob"));
		block("bob");
		create(aProfile("carol"));
		awaitingLicense("carol");
		create(aProfile("dave"));
		blockedByDirectory("dave");
		create(aProfile("eve", partners.id()));
		create(aProfile("frank", partners.id()));
		awaitingLicense("frank");

		assertThat(usernames(download(exportForm("USERNAME").param("state", "ACTIVE")))).containsExactly("admin",
				"alice", "eve");
		assertThat(usernames(download(exportForm("USERNAME").param("state", "BLOCKED")))).containsExactly("bob",
				"carol", "dave", "frank");
		assertThat(usernames(download(exportForm("USERNAME").param("state", "AWAITING")))).containsExactly("carol",
				"frank");
		assertThat(usernames(download(exportForm("USERNAME").param("state", "")))).containsExactly("admin", "alice",
				"bob", "carol", "dave", "eve", "frank");
		assertThat(usernames(download(
				exportForm("USERNAME").param("state", "AWAITING").param("area", String.valueOf(partners.id())))))
			.containsExactly("frank");
	}

	// Bad input

	@Test
	void showsTheFormAgainWhenNoColumnIsTickedAndRecordsNothing() throws Exception {
		int audited = exportsAudited();

		MockHttpServletResponse response = this.mvc
			.perform(post("/admin/people/export").param("state", "BLOCKED").with(admin()).with(csrf()))
			.andReturn()
			.getResponse();

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getHeader(HttpHeaders.CONTENT_DISPOSITION)).isNull();
		assertThat(MediaType.parseMediaType(response.getContentType()).isCompatibleWith(MediaType.TEXT_HTML)).isTrue();
		String page = response.getContentAsString(StandardCharsets.UTF_8);
		assertThat(page).contains("action=\"/admin/people/export\"")
			.contains("id=\"columns-error\"")
			.contains(text("export.columns.required"));
		assertThat(page).containsPattern("<option\\b[^>]*value=\"BLOCKED\"[^>]*selected");
		assertThat(exportsAudited()).isEqualTo(audited);
	}

	@Test
	void answersNotFoundForAnAreaThatDoesNotExist() throws Exception {
		int audited = exportsAudited();

		MockHttpServletResponse response = this.mvc.perform(exportForm("USERNAME").param("area", "999999"))
			.andReturn()
			.getResponse();

		assertThat(response.getStatus()).isEqualTo(404);
		assertThat(response.getHeader(HttpHeaders.CONTENT_DISPOSITION)).isNull();
		assertThat(response.getContentAsString(StandardCharsets.UTF_8)).contains("id=\"error-message\"")
			.contains(text("area.notFound", "999999"));
		assertThat(exportsAudited()).isEqualTo(audited);
	}

	@Test
	void answersBadRequestForAColumnOrStateThatDoesNotExist() throws Exception {
		int audited = exportsAudited();

		for (MockHttpServletRequestBuilder request : List.of(exportForm("USERNAME", "PASSWORD_HASH"),
				exportForm("USERNAME").param("state", "SLEEPING"), exportForm("USERNAME").param("area", "abc"))) {
			MockHttpServletResponse response = this.mvc.perform(request).andReturn().getResponse();

			assertThat(response.getStatus()).isEqualTo(400);
			assertThat(response.getHeader(HttpHeaders.CONTENT_DISPOSITION)).isNull();
			assertThat(response.getContentAsString(StandardCharsets.UTF_8)).doesNotContain("Exception")
				.doesNotContain("at io.seatkeeper");
		}
		assertThat(exportsAudited()).isEqualTo(audited);
	}

	// Excel and LibreOffice

	@Test
	void startsTheFileWithAByteOrderMarkForExcel() throws Exception {
		create(aProfile("zoe", "zoe@example.org", "Zoë", "Ångström"));

		byte[] forExcel = this.mvc.perform(exportForm("USERNAME", "LAST_NAME").param("forExcel", "true"))
			.andReturn()
			.getResponse()
			.getContentAsByteArray();
		byte[] plain = this.mvc.perform(exportForm("USERNAME", "LAST_NAME"))
			.andReturn()
			.getResponse()
			.getContentAsByteArray();

		assertThat(Arrays.copyOf(forExcel, 3)).containsExactly(BYTE_ORDER_MARK);
		assertThat(Arrays.copyOfRange(forExcel, 3, forExcel.length)).containsExactly(plain);
		assertThat(plain[0]).isEqualTo((byte) 'U');
		assertThat(csv(plain)).containsExactly(List.of("Username", "Last name"), List.of("admin", "Administrator"),
				List.of("zoe", "Ångström"));
	}

	@ParameterizedTest(name = "a name that begins with \"{0}\"")
	@ValueSource(strings = { "=", "+", "-", "@", "\t", "\r" })
	void neutralisesANameThatASpreadsheetWouldRunAsAFormula(String sign) throws Exception {
		create(aProfile("mallory"));
		rename("mallory", sign + "1+2", sign + "HYPERLINK(\"http://evil.example\",\"x\")");

		List<List<String>> rows = download(exportForm("USERNAME", "FIRST_NAME", "LAST_NAME"));

		assertThat(rows).hasSize(3);
		assertThat(rows.get(2)).containsExactly("mallory", "'" + sign + "1+2",
				"'" + sign + "HYPERLINK(\"http://evil.example\",\"x\")");
	}

	@Test
	void neutralisesAFormulaThatAProfileCanBeGivenThroughThePeopleService() throws Exception {
		AreaView area = this.areas.createExtranet("+Partners", "admin");
		create(new NewProfile("mallory", "=cmd@example.org", "=SUM(A1:A9)", "-2+3", area.id(), null,
				ProfileSource.LOCAL));
		create(new NewProfile("oscar", "-oscar@example.org", "@Oscar", "+Wilde", area.id(), null, ProfileSource.LOCAL));
		create(new NewProfile("quinn", "quinn@example.org", "Anne=Marie", "O'Brien-Smith", area.id(), null,
				ProfileSource.LOCAL));

		List<List<String>> rows = download(exportForm("USERNAME", "FIRST_NAME", "LAST_NAME", "EMAIL", "AREA")
			.param("area", String.valueOf(area.id())));

		assertThat(rows).containsExactly(List.of("Username", "First name", "Last name", "E-mail", "Area"),
				List.of("mallory", "'=SUM(A1:A9)", "'-2+3", "'=cmd@example.org", "'+Partners"),
				List.of("oscar", "'@Oscar", "'+Wilde", "'-oscar@example.org", "'+Partners"),
				List.of("quinn", "Anne=Marie", "O'Brien-Smith", "quinn@example.org", "'+Partners"));
	}

	@Test
	void keepsCommasQuotesNewlinesAndNonLatinLettersThroughARoundTrip() throws Exception {
		create(aProfile("zoe", "zoe@example.org", "Zoë", "Ångström, \"the Zee\""));
		create(aProfile("lukasz", "lukasz@example.org", "Łukasz", "東京"));
		create(aProfile("Ελένη", "eleni@example.org", "Ελένη", "Παπαδοπούλου"));
		create(aProfile("nina"));
		rename("nina", "Nina\nMarie", "O'Neil,\r\n\"Jr.\", 東京");

		List<List<String>> rows = download(exportForm("USERNAME", "FIRST_NAME", "LAST_NAME", "EMAIL"));

		Map<String, List<String>> byUsername = new LinkedHashMap<>();
		for (List<String> row : rows.subList(1, rows.size())) {
			byUsername.put(row.get(0), row);
		}
		assertThat(rows).hasSize(6);
		assertThat(byUsername.get("zoe")).containsExactly("zoe", "Zoë", "Ångström, \"the Zee\"", "zoe@example.org");
		assertThat(byUsername.get("lukasz")).containsExactly("lukasz", "Łukasz", "東京", "lukasz@example.org");
		assertThat(byUsername.get("Ελένη")).containsExactly("Ελένη", "Ελένη", "Παπαδοπούλου", "eleni@example.org");
		assertThat(byUsername.get("nina")).containsExactly("nina", "Nina\nMarie", "O'Neil,\r\n\"Jr.\", 東京",
				"nina@example.org");
	}

	// The audit log

	@Test
	void recordsEveryExportInTheAuditLogWithItsRowsFiltersAndColumns() throws Exception {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		create(aProfile("eve", partners.id()));
		create(aProfile("frank", partners.id()));
		block("frank");
		create(aProfile("pat"));
		peopleAdministrator("pat");
		int audited = exportsAudited();

		download(exportFormAs(user("pat"), "USERNAME", "ACCOUNT_STATE").param("area", String.valueOf(partners.id()))
			.param("state", "BLOCKED"));

		assertThat(exportsAudited()).isEqualTo(audited + 1);
		assertThat(lastExport()).containsEntry("ACTOR", "pat")
			.containsEntry("DETAILS",
					"rows=1, via=console, area=Partners, state=BLOCKED, columns=USERNAME ACCOUNT_STATE");

		download(exportForm(names(ExportColumn.values())));

		assertThat(exportsAudited()).isEqualTo(audited + 2);
		assertThat(lastExport()).containsEntry("ACTOR", "admin")
			.containsEntry("DETAILS", "rows=4, via=console, area=all, state=all, columns="
					+ String.join(" ", names(ExportColumn.values())));
	}

	// The API

	@Test
	void apiGivesTheSameFileAsTheConsole() throws Exception {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		create(aProfile("bob"));
		block("bob");
		create(aProfile("eve", partners.id()));
		create(aProfile("frank", partners.id()));
		block("frank");
		create(aProfile("gina", partners.id()));
		awaitingLicense("gina");
		String pat = aPeopleAdministratorWithAPassword();

		MockHttpServletResponse api = this.mvc
			.perform(get("/api/v1/profiles.csv").param("columns", "USERNAME")
				.param("columns", "ACCOUNT_STATE")
				.param("state", "BLOCKED")
				.param("area", "Partners")
				.with(httpBasic(pat, PASSWORD)))
			.andReturn()
			.getResponse();
		MockHttpServletResponse console = this.mvc
			.perform(exportForm("USERNAME", "ACCOUNT_STATE").param("state", "BLOCKED")
				.param("area", String.valueOf(partners.id())))
			.andReturn()
			.getResponse();

		assertThat(api.getStatus()).isEqualTo(200);
		assertThat(api.getHeader(HttpHeaders.CONTENT_DISPOSITION))
			.isEqualTo(console.getHeader(HttpHeaders.CONTENT_DISPOSITION));
		assertThat(MediaType.parseMediaType(api.getContentType()))
			.isEqualTo(MediaType.parseMediaType(console.getContentType()));
		assertThat(api.getContentAsByteArray()).containsExactly(console.getContentAsByteArray());
		assertThat(csv(api)).containsExactly(List.of("Username", "Account state"), List.of("frank", "No"),
				List.of("gina", "No"));
	}

	@Test
	void apiExportsEveryColumnWhenNoneIsNamed() throws Exception {
		String pat = aPeopleAdministratorWithAPassword();

		List<List<String>> rows = csv(
				this.mvc.perform(get("/api/v1/profiles.csv").with(httpBasic(pat, PASSWORD))).andReturn().getResponse());

		List<String> header = new ArrayList<>();
		for (ExportColumn column : ExportColumn.values()) {
			header.add(text("export.column." + column.name()));
		}
		assertThat(rows.get(0)).isEqualTo(header);
		assertThat(usernames(rows)).containsExactly("admin", "pat");
		assertThat(rows.get(1).subList(0, 9)).containsExactly("admin", "Built-in", "Administrator", "admin@localhost",
				"Primary Area", "Yes", "No", "", text("source.BUILT_IN"));
		assertThat(rows.get(2).subList(0, 9)).containsExactly("pat", "First", "Last", "pat@example.org", "Primary Area",
				"Yes", "Yes", "", text("source.LOCAL"));
	}

	@Test
	void apiAnswersBadRequestWithAProblemForAnAreaNameThatDoesNotExist() throws Exception {
		String pat = aPeopleAdministratorWithAPassword();
		int audited = exportsAudited();

		MockHttpServletResponse response = this.mvc
			.perform(get("/api/v1/profiles.csv").param("area", "Nowhere").with(httpBasic(pat, PASSWORD)))
			.andReturn()
			.getResponse();

		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(MediaType.parseMediaType(response.getContentType())).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.getHeader(HttpHeaders.CONTENT_DISPOSITION)).isNull();
		assertThat(response.getContentAsString(StandardCharsets.UTF_8)).contains("\"status\":400")
			.contains(text("area.notFound", "Nowhere"));
		assertThat(exportsAudited()).isEqualTo(audited);
	}

	@Test
	void apiAnswersBadRequestWithAProblemForAColumnThatDoesNotExist() throws Exception {
		String pat = aPeopleAdministratorWithAPassword();
		int audited = exportsAudited();

		MockHttpServletResponse response = this.mvc
			.perform(get("/api/v1/profiles.csv").param("columns", "PASSWORD_HASH").with(httpBasic(pat, PASSWORD)))
			.andReturn()
			.getResponse();

		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(MediaType.parseMediaType(response.getContentType())).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(exportsAudited()).isEqualTo(audited);
	}

	@Test
	void apiRecordsTheExportInTheAuditLogAsViaApi() throws Exception {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		create(aProfile("eve", partners.id()));
		String pat = aPeopleAdministratorWithAPassword();
		int audited = exportsAudited();

		this.mvc
			.perform(get("/api/v1/profiles.csv").param("columns", "USERNAME")
				.param("state", "ACTIVE")
				.param("area", "partners")
				.with(httpBasic(pat, PASSWORD)))
			.andReturn();

		assertThat(exportsAudited()).isEqualTo(audited + 1);
		assertThat(lastExport()).containsEntry("ACTOR", pat)
			.containsEntry("DETAILS", "rows=1, via=api, area=Partners, state=ACTIVE, columns=USERNAME");
	}

	// Fixtures

	private static RequestPostProcessor admin() {
		return user("admin").roles("SYSADMIN", "PEOPLE_ADMIN");
	}

	private static MockHttpServletRequestBuilder exportForm(String... columns) {
		return exportFormAs(admin(), columns);
	}

	private static MockHttpServletRequestBuilder exportFormAs(RequestPostProcessor signedIn, String... columns) {
		MockHttpServletRequestBuilder request = post("/admin/people/export").with(signedIn).with(csrf());
		for (String column : columns) {
			request.param("columns", column);
		}
		return request;
	}

	private ProfileView create(NewProfile profile) {
		return this.people.create(profile, "admin");
	}

	private void block(String username) {
		this.people.block(idOf(username), "admin");
	}

	/**
	 * Blocks the profile (freeing its licence) and marks it as awaiting a licence, as the
	 * directory sync will.
	 */
	private void awaitingLicense(String username) {
		block(username);
		this.jdbc.update(
				"update profile set state = 'BLOCKED', block_reason = 'AWAITING_LICENSE',"
						+ " awaiting_since = current_timestamp where username_key = ?",
				username.toLowerCase(Locale.ROOT));
	}

	private void blockedByDirectory(String username) {
		block(username);
		this.jdbc.update("update profile set block_reason = 'DIRECTORY' where username_key = ?",
				username.toLowerCase(Locale.ROOT));
	}

	/**
	 * Gives a profile names that no form accepts (control characters, leading signs the
	 * service strips), straight in the table.
	 */
	private void rename(String username, String firstName, String lastName) {
		int updated = this.jdbc.update(
				"update profile set first_name = ?, first_name_key = ?, last_name = ?, last_name_key = ?"
						+ " where username_key = ?",
				firstName, firstName.toLowerCase(Locale.ROOT), lastName, lastName.toLowerCase(Locale.ROOT),
				username.toLowerCase(Locale.ROOT));
		assertThat(updated).isEqualTo(1);
	}

	private void peopleAdministrator(String username) {
		this.people.changeRoles(idOf(username), false, true, "admin");
	}

	/**
	 * A real profile with a password and the role PEOPLE_ADMIN, to call the API with.
	 */
	private String aPeopleAdministratorWithAPassword() {
		ProfileView pat = create(aProfile("pat", null, PASSWORD));
		this.people.changeRoles(pat.id(), false, true, "admin");
		return pat.username();
	}

	private long idOf(String username) {
		return this.people.findByUsername(username).orElseThrow().id();
	}

	private long primaryAreaId() {
		return this.jdbc.queryForObject("select id from area where kind = 'PRIMARY'", Long.class);
	}

	private int exportsAudited() {
		return this.jdbc.queryForObject("select count(*) from audit_event where action = 'PEOPLE_EXPORTED'",
				Integer.class);
	}

	private Map<String, Object> lastExport() {
		Map<String, Object> row = this.jdbc.queryForMap(
				"select actor, details from audit_event where action = 'PEOPLE_EXPORTED' order by id desc limit 1");
		Map<String, Object> upper = new LinkedHashMap<>();
		row.forEach((key, value) -> upper.put(key.toUpperCase(Locale.ROOT), value));
		return upper;
	}

	private List<List<String>> download(MockHttpServletRequestBuilder request) throws Exception {
		MockHttpServletResponse response = this.mvc.perform(request).andReturn().getResponse();
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getHeader(HttpHeaders.CONTENT_DISPOSITION)).startsWith("attachment;");
		return csv(response);
	}

	private static List<List<String>> csv(MockHttpServletResponse response) throws IOException {
		return csv(response.getContentAsByteArray());
	}

	/**
	 * The records of a file, the header first, read by commons-csv.
	 */
	private static List<List<String>> csv(byte[] body) throws IOException {
		List<List<String>> rows = new ArrayList<>();
		try (CSVParser parser = CSVFormat.RFC4180.parse(new StringReader(new String(body, StandardCharsets.UTF_8)))) {
			for (CSVRecord record : parser) {
				rows.add(record.toList());
			}
		}
		return rows;
	}

	private static List<String> usernames(List<List<String>> rows) {
		assertThat(rows.get(0).get(0)).isEqualTo("Username");
		return rows.subList(1, rows.size()).stream().map((row) -> row.get(0)).toList();
	}

	private static String[] names(ExportColumn... columns) {
		return Arrays.stream(columns).map(Enum::name).toArray(String[]::new);
	}

	private String page(String url) throws Exception {
		MockHttpServletResponse response = this.mvc.perform(get(url).with(admin())).andReturn().getResponse();
		assertThat(response.getStatus()).isEqualTo(200);
		return response.getContentAsString(StandardCharsets.UTF_8);
	}

	/**
	 * The options of a select: value and label.
	 */
	private static List<List<String>> options(String page, String id) {
		int start = page.indexOf("id=\"" + id + "\"");
		assertThat(start).as("select #%s", id).isPositive();
		String select = page.substring(start, page.indexOf("</select>", start));
		List<List<String>> options = new ArrayList<>();
		Matcher option = OPTION.matcher(select);
		while (option.find()) {
			options.add(List.of(option.group(1), HtmlUtils.htmlUnescape(option.group(2))));
		}
		return options;
	}

	private String text(String code, Object... arguments) {
		return this.messages.getMessage(code, arguments, Locale.ENGLISH);
	}

}
