package io.seatkeeper.audit;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.seatkeeper.Pools;
import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.people.AreaNotEmpty;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.BuiltInAdministratorProtected;
import io.seatkeeper.people.DeletionNotConfirmed;
import io.seatkeeper.people.InvalidProfileField;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.UsernameTaken;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Every licence-relevant change writes exactly one line of the audit log, and only when
 * it happened (R15); the log is listed, filtered and exported by sysadmins.
 */
@SpringBootTest
@AutoConfigureMockMvc
@Tag("database")
class AuditLogTests {

	private static final String ACTOR = "carla";

	@Autowired
	MockMvc mvc;

	@Autowired
	PeopleService people;

	@Autowired
	AreaService areas;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void emptyPoolsAndLog() {
		Pools.reset(this.jdbc, 2, 1);
		this.jdbc.update("delete from audit_event");
	}

	@Test
	void recordsProfileCreation() {
		this.people.create(aProfile("alice"), ACTOR);

		assertThat(events()).singleElement()
			.isEqualTo(new Event(ACTOR, "PROFILE_CREATED", "alice", "PRIMARY",
					"area=Primary Area, state=ACTIVE, source=LOCAL"));
	}

	@Test
	void recordsBlocking() {
		long alice = aProfileCreated("alice");

		this.people.block(alice, ACTOR);

		assertThat(eventsOf("PROFILE_BLOCKED")).singleElement()
			.isEqualTo(new Event(ACTOR, "PROFILE_BLOCKED", "alice", "PRIMARY",
					"reason=ADMINISTRATOR, licence freed=true"));
	}

	@Test
	void recordsReinstatement() {
		long alice = aProfileCreated("alice");
		this.people.block(alice, "admin");

		this.people.reinstate(alice, ACTOR);

		assertThat(eventsOf("PROFILE_REINSTATED")).singleElement()
			.isEqualTo(new Event(ACTOR, "PROFILE_REINSTATED", "alice", "PRIMARY", "area=Primary Area"));
	}

	@Test
	void recordsMove() {
		long partners = this.areas.createExtranet("Partners", "admin").id();
		long alice = aProfileCreated("alice");

		this.people.move(alice, partners, ACTOR);

		assertThat(eventsOf("PROFILE_MOVED")).singleElement()
			.isEqualTo(new Event(ACTOR, "PROFILE_MOVED", "alice", "EXTRANET",
					"from=Primary Area (PRIMARY), to=Partners (EXTRANET), state=ACTIVE"));
	}

	@Test
	void recordsDeletionUnderTheUsernameOfTheDeletedProfile() {
		long alice = aProfileCreated("alice");

		this.people.delete(alice, "alice", ACTOR);

		assertThat(eventsOf("PROFILE_DELETED")).singleElement()
			.isEqualTo(
					new Event(ACTOR, "PROFILE_DELETED", "alice", "PRIMARY", "area=Primary Area, licence freed=true"));
	}

	@Test
	void recordsRolesChange() {
		long alice = aProfileCreated("alice");

		this.people.changeRoles(alice, true, false, ACTOR);

		assertThat(eventsOf("ROLES_CHANGED")).singleElement()
			.isEqualTo(new Event(ACTOR, "ROLES_CHANGED", "alice", null, "SYSADMIN=true, PEOPLE_ADMIN=false"));
	}

	@Test
	void recordsDetailsChangeWithTheOldAndNewValuesOnlyWhenSomethingChanged() {
		long alice = aProfileCreated("alice");
		String email = this.people.get(alice).email();

		this.people.changeDetails(alice, "alice@new.example", null, "Smith", ACTOR);
		this.people.changeDetails(alice, "alice@new.example", null, "Smith", ACTOR);

		assertThat(this.people.get(alice)).extracting("email", "lastName")
			.containsExactly("alice@new.example", "Smith");
		assertThat(eventsOf("PROFILE_DETAILS_CHANGED")).singleElement()
			.isEqualTo(new Event(ACTOR, "PROFILE_DETAILS_CHANGED", "alice", null, "email=alice@new.example (was "
					+ email + "), last name=Smith (was " + aProfile("alice").lastName() + ")"));
	}

	@Test
	void refusesAnInvalidDetailAndChangesNothing() {
		long alice = aProfileCreated("alice");
		String email = this.people.get(alice).email();

		assertThatExceptionOfType(InvalidProfileField.class)
			.isThrownBy(() -> this.people.changeDetails(alice, "not an address", "Alice", null, ACTOR))
			.satisfies((refusal) -> assertThat(refusal.code()).isEqualTo("profile.email.invalid"));

		assertThat(this.people.get(alice).email()).isEqualTo(email);
		assertThat(eventsOf("PROFILE_DETAILS_CHANGED")).isEmpty();
	}

	@Test
	void recordsAreaCreationRenamingAndDeletion() {
		long partners = this.areas.createExtranet("Partners", ACTOR).id();
		this.areas.rename(partners, "Allies", ACTOR);
		this.areas.delete(partners, ACTOR);

		assertThat(events()).containsExactly(new Event(ACTOR, "AREA_CREATED", null, "EXTRANET", "name=Partners"),
				new Event(ACTOR, "AREA_RENAMED", null, "EXTRANET", "from=Partners, to=Allies"),
				new Event(ACTOR, "AREA_DELETED", null, "EXTRANET", "name=Allies"));
	}

	@Test
	void recordsLicenseRefusalAndNoCreation() {
		this.jdbc.update("update license_pool set max_users = 1 where pool = 'PRIMARY'");
		aProfileCreated("alice");
		forgetEvents();

		assertThatExceptionOfType(LicenseLimitExceeded.class)
			.isThrownBy(() -> this.people.create(aProfile("bob"), ACTOR));

		assertThat(events()).singleElement()
			.isEqualTo(new Event(ACTOR, "LICENSE_REFUSED", "bob", "PRIMARY",
					"operation=create, max=1, active=1, requested=1"));
	}

	@Test
	void refusedReinstatementWritesTheRefusalOnly() {
		long alice = aProfileCreated("alice");
		this.people.block(alice, "admin");
		aProfileCreated("bob");
		aProfileCreated("carol");
		forgetEvents();

		assertThatExceptionOfType(LicenseLimitExceeded.class).isThrownBy(() -> this.people.reinstate(alice, ACTOR));

		assertThat(events()).singleElement()
			.isEqualTo(new Event(ACTOR, "LICENSE_REFUSED", "alice", "PRIMARY",
					"operation=reinstate, max=2, active=2, requested=1"));
	}

	@Test
	void refusedMoveWritesTheRefusalOnly() {
		long partners = this.areas.createExtranet("Partners", "admin").id();
		this.people.create(aProfile("eve", partners), "admin");
		long alice = aProfileCreated("alice");
		forgetEvents();

		assertThatExceptionOfType(LicenseLimitExceeded.class)
			.isThrownBy(() -> this.people.move(alice, partners, ACTOR));

		assertThat(events()).extracting(Event::action).containsExactly("LICENSE_REFUSED");
		assertThat(events().get(0).pool()).isEqualTo("EXTRANET");
	}

	@Test
	void failedChangesWriteNothing() {
		long alice = aProfileCreated("alice");
		long partners = this.areas.createExtranet("Partners", "admin").id();
		this.people.create(aProfile("eve", partners), "admin");
		long admin = this.people.findByUsername("admin").orElseThrow().id();
		forgetEvents();

		assertThatExceptionOfType(UsernameTaken.class).isThrownBy(() -> this.people.create(aProfile("ALICE"), ACTOR));
		assertThatExceptionOfType(BuiltInAdministratorProtected.class)
			.isThrownBy(() -> this.people.block(admin, ACTOR));
		assertThatExceptionOfType(BuiltInAdministratorProtected.class)
			.isThrownBy(() -> this.people.delete(admin, "admin", ACTOR));
		assertThatExceptionOfType(DeletionNotConfirmed.class).isThrownBy(() -> this.people.delete(alice, "bob", ACTOR));
		assertThatExceptionOfType(AreaNotEmpty.class).isThrownBy(() -> this.areas.delete(partners, ACTOR));
		// 41 characters, 82 in lower case: longer than an area name may be.
		assertThatExceptionOfType(InvalidProfileField.class)
			.isThrownBy(() -> this.areas.createExtranet("İ".repeat(41), ACTOR));

		assertThat(events()).isEmpty();
	}

	@Test
	void changesThatChangeNothingWriteNothing() {
		long alice = aProfileCreated("alice");
		this.people.block(alice, "admin");
		long bob = aProfileCreated("bob");
		forgetEvents();

		this.people.block(alice, ACTOR);
		this.people.reinstate(bob, ACTOR);
		this.people.move(bob, this.areas.findByName("").orElseThrow().id(), ACTOR);

		assertThat(events()).isEmpty();
	}

	private static final String BLOCKED = "<td class=\"audit-action\">Profile blocked</td>";

	private static final String CREATED = "<td class=\"audit-action\">Profile created</td>";

	@Test
	void auditPageSaysTheResponsiblePersonsChangeInWords() throws Exception {
		// As the log records the first responsible person set.
		this.jdbc.update("insert into audit_event (occurred_at, actor, action, details) values (current_timestamp, ?, "
				+ "'RESPONSIBLE_PERSON_CHANGED', 'from=null, to=licences@example.org')", ACTOR);

		String page = auditPage("?action=RESPONSIBLE_PERSON_CHANGED");

		assertThat(page).contains("<td class=\"audit-action\">Responsible person changed</td>")
			.contains("Responsible person changed from — to licences@example.org")
			.doesNotContain("from=null");
	}

	@Test
	void auditPageListsTheEventsNewestFirst() throws Exception {
		long alice = aProfileCreated("alice");
		this.people.block(alice, ACTOR);

		String page = auditPage("");

		// In words, not codes: the log itself and its export keep the codes.
		assertThat(page).contains(BLOCKED, CREATED, "<td>alice</td>",
				"<td class=\"audit-details\">Reason: blocked by an administrator · licence freed: Yes</td>",
				"<td class=\"audit-pool\">Primary (Max_Users)</td>");
		assertThat(page.indexOf(BLOCKED)).isLessThan(page.indexOf(CREATED));
	}

	@Test
	void auditPageFiltersByAction() throws Exception {
		long alice = aProfileCreated("alice");
		this.people.block(alice, ACTOR);

		String page = auditPage("?action=PROFILE_BLOCKED");

		assertThat(page).contains(BLOCKED).doesNotContain(CREATED);
		assertThat(page).contains("<option value=\"PROFILE_BLOCKED\" selected=\"selected\">Profile blocked</option>");
	}

	@Test
	void auditPageFiltersByActorIgnoringCase() throws Exception {
		long alice = aProfileCreated("alice");
		this.people.block(alice, ACTOR);

		String page = auditPage("?actor=CARLA");

		assertThat(page).contains(BLOCKED).doesNotContain(CREATED);
	}

	@Test
	void auditPageFiltersBySubject() throws Exception {
		aProfileCreated("alice");
		aProfileCreated("bob");

		String page = auditPage("?subject=Bob");

		assertThat(page).contains("<td>bob</td>").doesNotContain("<td>alice</td>");
	}

	@Test
	void auditPageFiltersByDateRange() throws Exception {
		aProfileCreated("alice");
		anEventAt(LocalDateTime.of(2020, 1, 15, 12, 0), "old-admin", "PROFILE_BLOCKED", "olivia",
				"reason=ADMINISTRATOR");

		String january = auditPage("?from=2020-01-01&to=2020-01-15");
		String afterIt = auditPage("?from=2020-01-16");
		String upToIt = auditPage("?to=2020-01-15");
		String today = auditPage("?from=" + LocalDate.now(ZoneOffset.UTC) + "&to=" + LocalDate.now(ZoneOffset.UTC));

		assertThat(january).contains("<td>olivia</td>").doesNotContain("<td>alice</td>");
		assertThat(afterIt).contains("<td>alice</td>").doesNotContain("<td>olivia</td>");
		assertThat(upToIt).contains("<td>olivia</td>").doesNotContain("<td>alice</td>");
		assertThat(today).contains("<td>alice</td>").doesNotContain("<td>olivia</td>");
	}

	@Test
	void auditPageSaysWhenNothingMatches() throws Exception {
		aProfileCreated("alice");

		assertThat(auditPage("?subject=nobody")).contains("No event matches these filters.")
			.doesNotContain("<td>alice</td>");
	}

	@Test
	void auditPagePagesOlderEvents() throws Exception {
		for (int i = 0; i < 105; i++) {
			anEventAt(LocalDateTime.of(2021, 3, 1, 12, 0), "admin", "PROFILE_CREATED", "user" + i, "source=CSV");
		}

		String first = auditPage("");

		assertThat(first).contains("<td>user104</td>", "<td>user5</td>")
			.doesNotContain("<td>user4</td>")
			.contains("Older events");
	}

	@Test
	void auditPageAnswersABadDateWith400() throws Exception {
		this.mvc.perform(get("/admin/system/audit?from=yesterday").with(sysadmin())).andExpect(status().isBadRequest());
		this.mvc.perform(get("/admin/system/audit/export?to=2020-13-45").with(sysadmin()))
			.andExpect(status().isBadRequest());
	}

	@Test
	void auditIsForSysadminsOnly() throws Exception {
		long pam = aProfileCreated("pam");
		this.people.changeRoles(pam, false, true, ACTOR);
		this.mvc.perform(get("/admin/system/audit").with(user("pam").roles("PEOPLE_ADMIN")))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/admin/system/audit/export").with(user("pam").roles("PEOPLE_ADMIN")))
			.andExpect(status().isForbidden());
	}

	@Test
	void exportDownloadsCsvWithAHeaderAndOneLinePerEvent() throws Exception {
		long alice = aProfileCreated("alice");
		this.people.block(alice, ACTOR);
		this.people.reinstate(alice, ACTOR);

		List<CSVRecord> lines = export("",
				(response) -> response.andExpect(header().string("Content-Type", "text/csv;charset=UTF-8"))
					.andExpect(header().string("Content-Disposition",
							"attachment; filename=\"audit-" + LocalDate.now(ZoneOffset.UTC) + ".csv\"")));

		assertThat(lines.get(0).values()).containsExactly("Time (UTC)", "Actor", "Action", "Subject", "Pool",
				"Details");
		assertThat(lines.subList(1, lines.size()))
			.extracting((line) -> line.get(1), (line) -> line.get(2), (line) -> line.get(3), (line) -> line.get(4),
					(line) -> line.get(5))
			.containsExactly(tuple(ACTOR, "PROFILE_REINSTATED", "alice", "PRIMARY", "area=Primary Area"),
					tuple(ACTOR, "PROFILE_BLOCKED", "alice", "PRIMARY", "reason=ADMINISTRATOR, licence freed=true"),
					tuple("admin", "PROFILE_CREATED", "alice", "PRIMARY",
							"area=Primary Area, state=ACTIVE, source=LOCAL"));
	}

	@Test
	void exportHoldsTheEventsThatMatchTheFilters() throws Exception {
		long alice = aProfileCreated("alice");
		this.people.block(alice, ACTOR);
		long bob = aProfileCreated("bob");
		this.people.block(bob, ACTOR);
		anEventAt(LocalDateTime.of(2020, 1, 15, 12, 0), ACTOR, "PROFILE_BLOCKED", "olivia", "reason=ADMINISTRATOR");

		assertThat(export("?action=PROFILE_BLOCKED&actor=Carla&subject=bob")).hasSize(2)
			.last()
			.satisfies((line) -> assertThat(line.get(3)).isEqualTo("bob"));
		assertThat(export("?action=PROFILE_BLOCKED&from=2020-01-01&to=2020-01-31")).hasSize(2)
			.last()
			.satisfies((line) -> assertThat(line.get(3)).isEqualTo("olivia"));
		assertThat(export("?action=PROFILE_BLOCKED")).hasSize(4);
		// The header alone.
		assertThat(export("?action=AREA_DELETED")).hasSize(1);
	}

	@Test
	void exportNeutralisesCellsThatASpreadsheetWouldRun() throws Exception {
		anEventAt(LocalDateTime.of(2022, 6, 1, 12, 0), "@evil", "LICENSE_REFUSED", "=HYPERLINK(\"http://x\",\"y\")",
				"=1+2");
		anEventAt(LocalDateTime.of(2022, 6, 1, 12, 0), "-2+3", "LICENSE_REFUSED", "+cmd", "\tindented");

		List<CSVRecord> lines = export("");

		assertThat(lines).hasSize(3);
		assertThat(lines.get(1).values()).containsSequence("'-2+3", "LICENSE_REFUSED", "'+cmd").endsWith("'\tindented");
		assertThat(lines.get(2).values()).containsSequence("'@evil", "LICENSE_REFUSED",
				"'=HYPERLINK(\"http://x\",\"y\")");
		assertThat(lines.get(2).get(5)).isEqualTo("'=1+2");
	}

	@Test
	void exportNeutralisesAnActorThatLooksLikeAFormula() throws Exception {
		this.people.create(aProfile("alice"), "=cmd|' /C calc'!A0");

		List<CSVRecord> lines = export("?subject=alice");

		assertThat(lines).hasSize(2);
		assertThat(lines.get(1).get(1)).isEqualTo("'=cmd|' /C calc'!A0");
	}

	private String auditPage(String query) throws Exception {
		return this.mvc.perform(get("/admin/system/audit" + query).with(sysadmin()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	private List<CSVRecord> export(String query) throws Exception {
		return export(query, (response) -> {
		});
	}

	private List<CSVRecord> export(String query, ResponseCheck check) throws Exception {
		MockHttpServletRequestBuilder request = get("/admin/system/audit/export" + query).with(sysadmin());
		ResultActions response = this.mvc.perform(request).andExpect(status().isOk());
		check.accept(response);
		String body = response.andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
		return CSVFormat.RFC4180.parse(new StringReader(body)).getRecords();
	}

	private static RequestPostProcessor sysadmin() {
		return user("admin").roles("SYSADMIN", "PEOPLE_ADMIN");
	}

	private List<Event> events() {
		return this.jdbc.query("select actor, action, subject, pool, details from audit_event order by id",
				(row, n) -> new Event(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
						row.getString(5)));
	}

	private List<Event> eventsOf(String action) {
		return events().stream().filter((event) -> event.action().equals(action)).toList();
	}

	private void forgetEvents() {
		this.jdbc.update("delete from audit_event");
	}

	private void anEventAt(LocalDateTime at, String actor, String action, String subject, String details) {
		this.jdbc.update(
				"insert into audit_event (occurred_at, actor, action, subject, pool, details) values (?, ?, ?, ?, ?, ?)",
				Timestamp.valueOf(at), actor, action, subject, "PRIMARY", details);
	}

	private long aProfileCreated(String username) {
		return this.people.create(aProfile(username), "admin").id();
	}

	record Event(String actor, String action, String subject, String pool, String details) {
	}

	@FunctionalInterface
	interface ResponseCheck {

		void accept(ResultActions response) throws Exception;

	}

}
