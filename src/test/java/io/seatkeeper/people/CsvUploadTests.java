package io.seatkeeper.people;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.seatkeeper.NewProfiles;
import io.seatkeeper.Pools;
import io.seatkeeper.license.LicenseService;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.AbstractMockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMultipartHttpServletRequestBuilder;
import org.springframework.web.util.HtmlUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The CSV upload in the console (R6), signed in as a people administrator: the preview
 * row by row with the pools' needs, the file format (headers in any order and case, UTF-8
 * with or without a byte-order mark, RFC 4180 quoting, blank lines), the confirmed import
 * as a job with its report, and the licences checked again at confirmation. On H2 and on
 * PostgreSQL.
 */
@SpringBootTest(properties = { "seatkeeper.admin.password=" + CsvUploadTests.ADMIN_PASSWORD,
		"spring.datasource.hikari.maximum-pool-size=16" })
@AutoConfigureMockMvc
@Tag("database")
class CsvUploadTests {

	static final String ADMIN_PASSWORD = "built-in-secret-1";

	private static final String HEADER = "username,email,first_name,last_name,area\n";

	private static final Pattern ROW = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL);

	private static final Pattern CELL = Pattern.compile("<t[dh][^>]*>(.*?)</t[dh]>", Pattern.DOTALL);

	private static final Pattern JOB_LOCATION = Pattern.compile("/admin/people/import/([0-9a-f-]{36})");

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
		Pools.reset(this.jdbc, 5, 2);
		this.jdbc.update("delete from import_job");
		this.auditMark = this.jdbc.queryForObject("select coalesce(max(id), 0) from audit_event", Long.class);
	}

	@AfterEach
	void countersEqualTheRows() {
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	// The preview

	@Test
	void previewShowsEveryOutcomeWithLineNumbersReasonsAndThePoolsNeeds() throws Exception {
		this.areas.createExtranet("Partners", "admin");
		aProfile("dave", null);
		String tooLong = "u".repeat(ProfileRules.USERNAME_MAX + 1);
		String csv = HEADER + """
				alice,alice@example.org,Alice,Archer,
				DAVE,dave@example.org,Dave,Doe,
				,nobody@example.org,No,Name,
				erin,not-an-address,Erin,Eve,
				frank,frank@example.org,Frank,Fox,Atlantis
				Alice,alice.again@example.org,Alice,Again,
				%s,long@example.org,Long,Name,
				bob,bob@example.org,Bob,Baker,
				carol,carol@example.org,Carol,Cook,
				gina,gina@example.org,Gina,Gold,Partners
				hank,hank@example.org,Hank,Hill,PARTNERS
				ivy,ivy@example.org,Ivy,Iron,partners
				judy,judy@example.org,Judy,Jones,
				kim,kim@example.org,Kim,King,
				""".formatted(tooLong);
		int profilesBefore = profileRows();

		String id = uploadForPreview(utf8(csv));
		String page = page("/admin/people/import/" + id);

		// Primary: alice, bob, carol, judy, kim need 5, and dave holds one of 5.
		assertThat(poolNeed(page, "PRIMARY")).containsExactly("Max_Users", "5", "4");
		assertThat(poolNeed(page, "EXTRANET")).containsExactly("Max_extranet_users", "3", "2");
		assertThat(previewRows(page, ImportOutcome.CREATE)).extracting((row) -> row.get(0) + " " + row.get(1))
			.containsExactly("2 alice", "9 bob", "10 carol", "11 gina", "12 hank", "14 judy");
		assertThat(previewRows(page, ImportOutcome.EXISTS))
			.containsExactly(List.of("3", "DAVE", "dave@example.org", "", text("import.row.exists")));
		assertThat(previewRows(page, ImportOutcome.INVALID)).containsExactly(
				List.of("4", "", "nobody@example.org", "", text("import.row.usernameMissing")),
				List.of("5", "erin", "not-an-address", "", text("import.row.emailInvalid")),
				List.of("6", "frank", "frank@example.org", "Atlantis", text("import.row.areaUnknown", "Atlantis")),
				List.of("7", "Alice", "alice.again@example.org", "", text("import.row.duplicate", "2")),
				List.of("8", tooLong, "long@example.org", "",
						text("import.row.tooLong", "username", ProfileRules.USERNAME_MAX)));
		assertThat(previewRows(page, ImportOutcome.NO_LICENSE)).containsExactly(
				List.of("13", "ivy", "ivy@example.org", "partners", text("import.row.noLicense", "Max_extranet_users")),
				List.of("15", "kim", "kim@example.org", "", text("import.row.noLicense", "Max_Users")));
		assertThat(count(page, ImportOutcome.CREATE)).isEqualTo(6);
		assertThat(count(page, ImportOutcome.EXISTS)).isEqualTo(1);
		assertThat(count(page, ImportOutcome.INVALID)).isEqualTo(5);
		assertThat(count(page, ImportOutcome.NO_LICENSE)).isEqualTo(2);
		assertThat(page).contains("id=\"preview-shortfall\"").contains("id=\"confirm-form\"");

		// Nothing is created by the preview, and the upload waits for confirmation.
		assertThat(profileRows()).isEqualTo(profilesBefore);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isZero();
		assertThat(jobStatus(id)).isEqualTo("PREVIEWED");
	}

	@Test
	void readsHeaderNamesInAnyOrderAndAnyCase() throws Exception {
		String csv = """
				Email,USERNAME,last_name,First_Name
				alice@example.org,alice,Archer,Alice
				bob@example.org,Bob,Baker,Bob
				""";

		String id = uploadForPreview(utf8(csv));
		assertThat(previewRows(page("/admin/people/import/" + id), ImportOutcome.CREATE)).containsExactly(
				List.of("2", "alice", "alice@example.org", "", ""), List.of("3", "Bob", "bob@example.org", "", ""));
		confirm(id, ImportMode.ALL_OR_NOTHING);
		awaitReport(id);

		assertThat(profileRow("alice")).containsEntry("EMAIL", "alice@example.org")
			.containsEntry("FIRST_NAME", "Alice")
			.containsEntry("LAST_NAME", "Archer");
		assertThat(profileRow("bob")).containsEntry("USERNAME", "Bob").containsEntry("EMAIL", "bob@example.org");
	}

	@Test
	void readsUtf8WithAndWithoutAByteOrderMark() throws Exception {
		String csv = HEADER + "zoe,zoe@example.org,Zoë,Łukasiewicz,\nyamada,yamada@example.org,山田,太郎,\n";
		byte[] plain = utf8(csv);
		byte[] bom = new byte[plain.length + 3];
		bom[0] = (byte) 0xEF;
		bom[1] = (byte) 0xBB;
		bom[2] = (byte) 0xBF;
		System.arraycopy(plain, 0, bom, 3, plain.length);

		String withoutBom = uploadForPreview(plain);
		String withBom = uploadForPreview(bom);

		for (String id : List.of(withoutBom, withBom)) {
			String page = page("/admin/people/import/" + id);
			assertThat(previewRows(page, ImportOutcome.CREATE)).extracting((row) -> row.get(1))
				.containsExactly("zoe", "yamada");
			assertThat(count(page, ImportOutcome.INVALID)).isZero();
		}
		confirm(withBom, ImportMode.ALL_OR_NOTHING);
		awaitReport(withBom);
		assertThat(profileRow("zoe")).containsEntry("USERNAME", "zoe")
			.containsEntry("FIRST_NAME", "Zoë")
			.containsEntry("LAST_NAME", "Łukasiewicz");
		assertThat(profileRow("yamada")).containsEntry("FIRST_NAME", "山田").containsEntry("LAST_NAME", "太郎");
	}

	@Test
	void readsQuotedFieldsWithCommasQuotesAndLineBreaks() throws Exception {
		String csv = HEADER + "alice,alice@example.org,\"Smith, Jr.\",\"O\"\"Brien\",\n"
				+ "\"bob\",\"bob@example.org\",\"Bob\",\"Two\nLines\",\n"
				+ "carol,carol@example.org,\"Carol \"\"CC\"\"\",Cook,\"\"\n";

		String id = uploadForPreview(utf8(csv));
		String page = page("/admin/people/import/" + id);

		// Bob's record spans lines 3 and 4; a name may not hold a line break.
		assertThat(previewRows(page, ImportOutcome.CREATE)).extracting((row) -> row.get(0) + " " + row.get(1))
			.containsExactly("2 alice", "5 carol");
		assertThat(previewRows(page, ImportOutcome.INVALID))
			.containsExactly(List.of("3", "bob", "bob@example.org", "", text("import.row.nameInvalid", "last_name")));
		confirm(id, ImportMode.ALL_OR_NOTHING);
		awaitReport(id);
		assertThat(profileRow("alice")).containsEntry("FIRST_NAME", "Smith, Jr.")
			.containsEntry("LAST_NAME", "O\"Brien");
		assertThat(profileRow("carol")).containsEntry("FIRST_NAME", "Carol \"CC\"");
	}

	@Test
	void skipsBlankLinesAndKeepsTheLineNumbersOfTheFile() throws Exception {
		String csv = "\r\n" + HEADER
				+ "alice,alice@example.org,Alice,Archer,\r\n\r\n\r\nbob,not-an-address,Bob,Baker,\r\n"
				+ "   \r\ncarol,carol@example.org,Carol,Cook,\r\n\ndan,dan@,Dan,Dale,\r\n\r\n\n   \n\n";

		String id = uploadForPreview(utf8(csv));
		String page = page("/admin/people/import/" + id);

		assertThat(HtmlUtils.htmlUnescape(page)).contains(text("import.preview.intro", "people.csv", 4));
		assertThat(previewRows(page, ImportOutcome.CREATE)).extracting((row) -> row.get(0) + " " + row.get(1))
			.containsExactly("3 alice", "8 carol");
		assertThat(previewRows(page, ImportOutcome.INVALID)).extracting((row) -> row.get(0) + " " + row.get(1))
			.containsExactly("6 bob", "10 dan");
	}

	// Confirming

	@Test
	void confirmRunsAsAJobAndKeepsItsReportAsPageAndCsv() throws Exception {
		aProfile("dave", null);
		String csv = HEADER + """
				alice,alice@example.org,Alice,Archer,
				dave,dave@example.org,Dave,Doe,
				erin,not-an-address,Erin,Eve,
				bob,bob@example.org,Bob,Baker,
				,nobody@example.org,No,Name,
				carol,carol@example.org,Carol,Cook,
				""";
		String id = uploadForPreview(utf8(csv));

		MvcResult confirmed = confirm(id, ImportMode.ALL_OR_NOTHING);
		assertThat(confirmed.getResponse().getRedirectedUrl()).isEqualTo("/admin/people/import/" + id);
		String report = awaitReport(id);

		assertThat(usernames()).containsExactlyInAnyOrder("admin", "dave", "alice", "bob", "carol");
		for (String username : List.of("alice", "bob", "carol")) {
			assertThat(profileRow(username)).containsEntry("STATE", "ACTIVE")
				.containsEntry("SOURCE", "CSV")
				.containsEntry("POOL", "PRIMARY");
		}
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(4);
		assertThat(reportStatus(report)).isEqualTo(text("import.done.all", 3))
			.isEqualTo("The import is complete: 3 profiles created.");
		assertThat(reportCount(report, "created")).isEqualTo(3);
		assertThat(reportCount(report, "skipped")).isEqualTo(1);
		assertThat(reportCount(report, "refused")).isZero();
		assertThat(reportCount(report, "invalid")).isEqualTo(2);
		List<List<String>> expected = List.of(List.of("2", "alice", text("import.outcome.CREATED"), ""),
				List.of("3", "dave", text("import.outcome.EXISTS"), text("import.row.exists")),
				List.of("4", "erin", text("import.outcome.INVALID"), text("import.row.emailInvalid")),
				List.of("5", "bob", text("import.outcome.CREATED"), ""),
				List.of("6", "", text("import.outcome.INVALID"), text("import.row.usernameMissing")),
				List.of("7", "carol", text("import.outcome.CREATED"), ""));
		assertThat(tableRows(report, "report-rows")).isEqualTo(expected);
		assertThat(report).contains("href=\"/admin/people/import/" + id + "/report.csv\"");
		assertThat(reportCsv(id)).isEqualTo(expected);
		assertThat(audit("PEOPLE_IMPORTED")).containsExactly("admin: file=people.csv, upload=" + id
				+ ", mode=ALL_OR_NOTHING, created=3, skipped=1, refused=0, invalid=2");
		assertThat(jobStatus(id)).isEqualTo("DONE");
	}

	@Test
	void allOrNothingCreatesNothingWhenTheLicensesWereUsedUpSinceThePreview() throws Exception {
		String id = uploadForPreview(utf8(HEADER + """
				alice,alice@example.org,Alice,Archer,
				bob,bob@example.org,Bob,Baker,
				carol,carol@example.org,Carol,Cook,
				"""));
		String preview = page("/admin/people/import/" + id);
		assertThat(poolNeed(preview, "PRIMARY")).containsExactly("Max_Users", "3", "5");
		assertThat(preview).doesNotContain("id=\"preview-shortfall\"");
		aProfile("early1", null);
		aProfile("early2", null);
		aProfile("early3", null);

		confirm(id, ImportMode.ALL_OR_NOTHING);
		String report = awaitReport(id);

		assertThat(jobStatus(id)).isEqualTo("REFUSED");
		assertThat(reportStatus(report)).isEqualTo(text("import.refused.rows", 1))
			.startsWith("Nothing was imported: 1 row found no free licence");
		assertThat(reportCount(report, "created")).isZero();
		assertThat(reportCount(report, "refused")).as("the rows beyond the free licences").isEqualTo(1);
		assertThat(poolNeed(report, "PRIMARY")).containsExactly("Max_Users", "3", "2");
		assertThat(reportCsv(id)).extracting((row) -> row.get(0) + " " + row.get(1) + " " + row.get(2))
			.containsExactly("2 alice " + text("import.outcome.CREATE"), "3 bob " + text("import.outcome.CREATE"),
					"4 carol " + text("import.outcome.NO_LICENSE"));
		assertThat(usernames()).containsExactlyInAnyOrder("admin", "early1", "early2", "early3");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(3);
		assertThat(audit("LICENSE_REFUSED")).containsExactly("admin: operation=import, max=5, active=3, requested=3");
		assertThat(audit("IMPORT_REFUSED")).hasSize(1)
			.first()
			.asString()
			.startsWith("admin: file=people.csv, upload=" + id)
			.contains("PRIMARY needs 3, 2 free");
		assertThat(audit("PEOPLE_IMPORTED")).isEmpty();
	}

	@Test
	void asManyAsFitCreatesInFileOrderAsManyAsWereFreeAndRefusesTheRest() throws Exception {
		String id = uploadForPreview(utf8(HEADER + """
				alice,alice@example.org,Alice,Archer,
				erin,not-an-address,Erin,Eve,
				bob,bob@example.org,Bob,Baker,
				carol,carol@example.org,Carol,Cook,
				dan,dan@example.org,Dan,Dale,
				"""));
		assertThat(count(page("/admin/people/import/" + id), ImportOutcome.CREATE)).isEqualTo(4);
		aProfile("early1", null);
		aProfile("early2", null);
		aProfile("early3", null);

		confirm(id, ImportMode.AS_MANY_AS_FIT);
		String report = awaitReport(id);

		assertThat(usernames()).containsExactlyInAnyOrder("admin", "early1", "early2", "early3", "alice", "bob");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(5);
		assertThat(jobStatus(id)).isEqualTo("DONE");
		assertThat(reportCount(report, "created")).isEqualTo(2);
		assertThat(reportCount(report, "refused")).isEqualTo(2);
		assertThat(reportCount(report, "invalid")).isEqualTo(1);
		assertThat(reportStatus(report))
			.isEqualTo("Imported in part: 2 profiles created, 2 rows refused for want of a licence.");
		assertThat(report).contains("class=\"alert alert-warning\" role=\"alert\" id=\"import-status\"");
		String refused = text("import.outcome.REFUSED");
		String noLicense = text("import.row.noLicense", "Max_Users");
		assertThat(reportCsv(id)).containsExactly(List.of("2", "alice", text("import.outcome.CREATED"), ""),
				List.of("3", "erin", text("import.outcome.INVALID"), text("import.row.emailInvalid")),
				List.of("4", "bob", text("import.outcome.CREATED"), ""), List.of("5", "carol", refused, noLicense),
				List.of("6", "dan", refused, noLicense));
		assertThat(audit("PEOPLE_IMPORTED")).containsExactly("admin: file=people.csv, upload=" + id
				+ ", mode=AS_MANY_AS_FIT, created=2, skipped=0, refused=2, invalid=1");
		assertThat(audit("LICENSE_REFUSED")).hasSize(1);
	}

	@Test
	void aSecondConfirmOfTheSameUploadIsRefusedAndImportsNothingTwice() throws Exception {
		String id = uploadForPreview(utf8(HEADER + "alice,alice@example.org,Alice,Archer,\n"));

		confirm(id, ImportMode.ALL_OR_NOTHING);
		MvcResult again = this.mvc
			.perform(asAdmin(post("/admin/people/import/{id}/confirm", id).with(csrf())
				.param("mode", ImportMode.AS_MANY_AS_FIT.name())))
			.andExpect(status().is3xxRedirection())
			.andExpect(redirectedUrl("/admin/people/import/" + id))
			.andExpect(flash().attribute("failure", "import.notWaiting"))
			.andReturn();
		awaitReport(id);
		String page = this.mvc
			.perform(asAdmin(get("/admin/people/import/{id}", id)).cookie(again.getResponse().getCookie("SESSION")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);

		assertThat(HtmlUtils.htmlUnescape(page)).contains(text("import.notWaiting"));
		assertThat(usernames()).containsExactlyInAnyOrder("admin", "alice");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
		assertThat(audit("PEOPLE_IMPORTED")).hasSize(1);
		assertThat(this.jdbc.queryForObject("select mode from import_job where id = ?", String.class, id))
			.isEqualTo("ALL_OR_NOTHING");
	}

	@Test
	void invalidRowsNeverBlockTheValidOnes() throws Exception {
		Pools.reset(this.jdbc, 2, 0);
		String id = uploadForPreview(utf8(HEADER + """
				,missing@example.org,No,Name,
				alice,alice@example.org,Alice,Archer,
				bob,bob@example.org,Bob,Baker,Nowhere
				carol,carol@example.org,Carol,Cook,
				alice,alice.twice@example.org,Alice,Twice,
				"""));
		String preview = page("/admin/people/import/" + id);
		assertThat(poolNeed(preview, "PRIMARY")).containsExactly("Max_Users", "2", "2");
		assertThat(preview).doesNotContain("id=\"preview-shortfall\"");

		confirm(id, ImportMode.ALL_OR_NOTHING);
		String report = awaitReport(id);

		assertThat(jobStatus(id)).isEqualTo("DONE");
		assertThat(usernames()).containsExactlyInAnyOrder("admin", "alice", "carol");
		assertThat(reportCount(report, "created")).isEqualTo(2);
		assertThat(reportCount(report, "invalid")).isEqualTo(3);
	}

	@Test
	void extranetRowsDrawFromTheExtranetPool() throws Exception {
		Pools.reset(this.jdbc, 0, 2);
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		AreaView suppliers = this.areas.createExtranet("Suppliers", "admin");
		String id = uploadForPreview(utf8(HEADER + """
				paula,paula@example.org,Paula,Park,Partners
				sam,sam@example.org,Sam,Stone,suppliers
				"""));
		String preview = page("/admin/people/import/" + id);
		assertThat(poolNeed(preview, "PRIMARY")).containsExactly("Max_Users", "0", "0");
		assertThat(poolNeed(preview, "EXTRANET")).containsExactly("Max_extranet_users", "2", "2");

		confirm(id, ImportMode.ALL_OR_NOTHING);
		awaitReport(id);

		assertThat(profileRow("paula")).containsEntry("POOL", "EXTRANET")
			.containsEntry("AREA_ID", partners.id())
			.containsEntry("STATE", "ACTIVE");
		assertThat(profileRow("sam")).containsEntry("POOL", "EXTRANET").containsEntry("AREA_ID", suppliers.id());
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(2);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
	}

	@Test
	void anUnknownUploadIsANotFoundPage() throws Exception {
		String missing = "00000000-0000-0000-0000-000000000000";
		this.mvc.perform(asAdmin(get("/admin/people/import/{id}", missing)))
			.andExpect(status().isNotFound())
			.andExpect(content().string(containsString(HtmlUtils.htmlEscape(text("import.notFound", missing)))));
		this.mvc.perform(asAdmin(post("/admin/people/import/{id}/confirm", missing).with(csrf())))
			.andExpect(status().isNotFound());
		assertThat(profileRows()).isEqualTo(1);
	}

	// Factories and readers

	private String uploadForPreview(byte[] bytes) throws Exception {
		MvcResult result = this.mvc.perform(upload(bytes)).andExpect(status().is3xxRedirection()).andReturn();
		Matcher location = JOB_LOCATION.matcher(String.valueOf(result.getResponse().getRedirectedUrl()));
		assertThat(location.matches()).as("redirected to the preview: " + result.getResponse().getRedirectedUrl())
			.isTrue();
		return location.group(1);
	}

	private MockMultipartHttpServletRequestBuilder upload(byte[] bytes) {
		return asAdmin(
				multipart("/admin/people/import").file(new MockMultipartFile("file", "people.csv", "text/csv", bytes))
					.with(csrf()));
	}

	private MvcResult confirm(String id, ImportMode mode) throws Exception {
		return this.mvc
			.perform(asAdmin(post("/admin/people/import/{id}/confirm", id).with(csrf()).param("mode", mode.name())))
			.andExpect(status().is3xxRedirection())
			.andExpect(redirectedUrl("/admin/people/import/" + id))
			.andReturn();
	}

	/**
	 * Waits until the upload's page is its report, and returns the page.
	 */
	private String awaitReport(String id) {
		return await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> page("/admin/people/import/" + id), (page) -> page.contains("id=\"report-counts\""));
	}

	private String page(String path) throws Exception {
		return this.mvc.perform(asAdmin(get(path)))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
	}

	private List<List<String>> reportCsv(String id) throws Exception {
		MvcResult result = this.mvc.perform(asAdmin(get("/admin/people/import/{id}/report.csv", id)))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("text/csv"))
			.andReturn();
		String csv = result.getResponse().getContentAsString(StandardCharsets.UTF_8);
		List<List<String>> rows = new ArrayList<>();
		for (CSVRecord record : CSVFormat.RFC4180.builder()
			.setHeader()
			.setSkipHeaderRecord(true)
			.get()
			.parse(new StringReader(csv))) {
			rows.add(List.of(record.get(text("import.report.line")), record.get(text("import.report.username")),
					record.get(text("import.report.outcome")), record.get(text("import.report.reason"))));
		}
		return rows;
	}

	private static <B extends AbstractMockHttpServletRequestBuilder<B>> B asAdmin(B request) {
		return request.with(user("admin").roles("SYSADMIN", "PEOPLE_ADMIN"));
	}

	private void aProfile(String username, Long areaId) {
		this.people.create(NewProfiles.aProfile(username, areaId), "admin");
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The rows of the preview's table for one outcome: line, username, e-mail, area,
	 * reason.
	 */
	private static List<List<String>> previewRows(String page, ImportOutcome outcome) {
		return tableRows(page, "rows-" + outcome);
	}

	private static List<List<String>> tableRows(String page, String tableId) {
		int at = page.indexOf("id=\"" + tableId + "\"");
		if (at < 0) {
			return List.of();
		}
		String body = page.substring(page.indexOf("<tbody>", at), page.indexOf("</tbody>", at));
		List<List<String>> rows = new ArrayList<>();
		Matcher row = ROW.matcher(body);
		while (row.find()) {
			List<String> cells = new ArrayList<>();
			Matcher cell = CELL.matcher(row.group(1));
			while (cell.find()) {
				cells.add(HtmlUtils.htmlUnescape(cell.group(1)));
			}
			rows.add(cells);
		}
		return rows;
	}

	/**
	 * The pool's line of the licence table: its name, needed, free.
	 */
	private static List<String> poolNeed(String page, String pool) {
		int at = page.indexOf("id=\"need-" + pool + "\"");
		assertThat(at).as("the page shows the needs of the " + pool + " pool").isPositive();
		String row = page.substring(page.indexOf('>', at) + 1, page.indexOf("</tr>", at));
		List<String> cells = new ArrayList<>();
		Matcher cell = CELL.matcher(row);
		while (cell.find()) {
			cells.add(HtmlUtils.htmlUnescape(cell.group(1)).strip());
		}
		return cells;
	}

	private long count(String page, ImportOutcome outcome) {
		return countIn(page, "count-" + outcome, "import.outcome." + outcome);
	}

	private long reportCount(String page, String which) {
		String code = Map.of("created", "CREATED", "skipped", "EXISTS", "refused", "REFUSED", "invalid", "INVALID")
			.get(which);
		return countIn(page, "count-" + which, "import.outcome." + code);
	}

	private long countIn(String page, String elementId, String labelCode) {
		int at = page.indexOf("id=\"" + elementId + "\"");
		assertThat(at).as(elementId + " is on the page").isPositive();
		String element = HtmlUtils.htmlUnescape(page.substring(page.indexOf('>', at) + 1, page.indexOf("</li>", at)));
		assertThat(element).startsWith(text(labelCode) + ": ");
		return Long.parseLong(element.substring(element.lastIndexOf(' ') + 1));
	}

	private static String reportStatus(String page) {
		int at = page.indexOf("id=\"import-status\"");
		assertThat(at).isPositive();
		return HtmlUtils.htmlUnescape(page.substring(page.indexOf('>', at) + 1, page.indexOf("</div>", at)));
	}

	private String text(String code, Object... arguments) {
		return this.messages.getMessage(code, arguments, Locale.ENGLISH);
	}

	private int profileRows() {
		return this.jdbc.queryForObject("select count(*) from profile", Integer.class);
	}

	private List<String> usernames() {
		return this.jdbc.queryForList("select username from profile", String.class);
	}

	/**
	 * The profile's columns, by upper-case name (H2 and PostgreSQL spell them
	 * differently).
	 */
	private Map<String, Object> profileRow(String username) {
		Map<String, Object> row = new LinkedHashMap<>();
		this.jdbc
			.queryForMap("select username, email, first_name, last_name, state, source, pool, area_id from profile "
					+ "where username_key = ?", username.toLowerCase(Locale.ROOT))
			.forEach((column, value) -> row.put(column.toUpperCase(Locale.ROOT),
					(value instanceof Number number) ? number.longValue() : value));
		return row;
	}

	private String jobStatus(String id) {
		return this.jdbc.queryForObject("select status from import_job where id = ?", String.class, id);
	}

	/**
	 * The audit lines of an action written during this test, as "actor: details".
	 */
	private List<String> audit(String action) {
		return this.jdbc.queryForList(
				"select actor || ': ' || details from audit_event where action = ? and id > ? order by id",
				String.class, action, this.auditMark);
	}

}
