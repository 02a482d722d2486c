package io.seatkeeper.people;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import io.seatkeeper.Outbox;
import io.seatkeeper.Pools;
import io.seatkeeper.license.LicenseService;
import io.seatkeeper.notification.ResponsiblePerson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The reclaim job (R19), switched on ({@code block-after=90d}, {@code max-share=50}): it
 * blocks dormant profiles with the reason DORMANT, never the built-in administrator,
 * sysadmins or profiles marked never reclaim; once per day; a run over the share is held
 * until a sysadmin confirms it; each run is audited and mailed as one digest.
 */
@SpringBootTest(properties = { "seatkeeper.reclaim.block-after=90d", "seatkeeper.reclaim.max-share=50",
		"seatkeeper.mail.poll-interval=100ms", "seatkeeper.mail.from=seatkeeper@example.org",
		"seatkeeper.mail.site-name=Intranet of Example", "seatkeeper.mail.base-url=https://intranet.example.org" })
@AutoConfigureMockMvc
@Tag("database")
class ReclaimRunTests {

	static final String RESPONSIBLE = "licences@example.org";

	static final int SMTP_PORT = freePort();

	@RegisterExtension
	static GreenMailExtension greenMail = new GreenMailExtension(
			new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
		.withPerMethodLifecycle(false);

	@DynamicPropertySource
	static void mailServer(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> SMTP_PORT);
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	PeopleService people;

	@Autowired
	ReclaimRuns runs;

	@Autowired
	LicenseService licenses;

	@Autowired
	ResponsiblePerson responsiblePerson;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void startFromKnownState() throws Exception {
		Pools.reset(this.jdbc, 50, 10);
		this.jdbc.update("delete from reclaim_run");
		this.jdbc.update("delete from audit_event");
		Outbox.clear(this.jdbc);
		this.responsiblePerson.change(RESPONSIBLE, "admin");
		greenMail.purgeEmailFromAllMailboxes();
	}

	@AfterEach
	void countersEqualTheRows() {
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	@Test
	void blocksDormantProfilesButNeverTheBuiltInAdministratorSysadminsOrNeverReclaim() throws Exception {
		long old = profile("old");
		signedIn(old, 100);
		long never = profile("never");
		created(never, 120);
		long recent = profile("recent");
		signedIn(recent, 30);
		long sysadmin = profile("sysadmin");
		this.people.changeRoles(sysadmin, true, false, "admin");
		signedIn(sysadmin, 400);
		long kept = profile("kept");
		signedIn(kept, 400);
		long blocked = profile("blocked");
		signedIn(blocked, 400);
		this.people.block(blocked, "admin");
		this.jdbc.update("update profile set last_sign_in_at = ? where built_in = true", ago(1000));
		for (int i = 0; i < 4; i++) {
			profile("fresh" + i);
		}
		// Marked on its page by a people administrator: audited.
		this.mvc
			.perform(post("/admin/people/{id}/reclaim", kept).param("neverReclaim", "true")
				.with(user("admin").roles("PEOPLE_ADMIN"))
				.with(csrf()))
			.andExpect(redirectedUrl("/admin/people/" + kept));
		assertThat(this.people.get(kept).neverReclaim()).isTrue();

		ReclaimRuns.RunView run = this.runs.runToday("test").orElseThrow();

		assertThat(run.state()).isEqualTo("DONE");
		assertThat(run.reclaimedPrimary()).isEqualTo(2);
		assertThat(this.people.get(old).blockReason()).isEqualTo(BlockReason.DORMANT);
		assertThat(this.people.get(never).blockReason()).isEqualTo(BlockReason.DORMANT);
		assertThat(List.of(recent, sysadmin, kept))
			.allSatisfy((id) -> assertThat(this.people.get(id).active()).isTrue());
		assertThat(this.people.get(blocked).blockReason()).isEqualTo(BlockReason.ADMINISTRATOR);
		assertThat(this.jdbc.queryForObject("select state from profile where built_in = true", String.class))
			.isEqualTo("ACTIVE");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY")).isEqualTo(7);
		assertThat(
				this.jdbc.queryForList(
						"select subject from audit_event where action = 'PROFILE_BLOCKED' "
								+ "and actor = 'reclaim' and details like 'reason=DORMANT%' order by subject",
						String.class))
			.containsExactly("never", "old");
		assertThat(audit("NEVER_RECLAIM_CHANGED")).containsExactly("neverReclaim=true");
		assertThat(audit("RECLAIM_RUN")).singleElement().asString().contains("PRIMARY=2, EXTRANET=0");
		this.mvc.perform(get("/admin/people/{id}", kept).with(user("admin")))
			.andExpect(content().string(containsString("id=\"profile-never-reclaim\">Yes<")));
	}

	@Test
	void runsOncePerDayAcrossStarts() {
		long old = profile("old");
		signedIn(old, 100);
		for (int i = 0; i < 3; i++) {
			profile("fresh" + i);
		}

		assertThat(this.runs.runToday("first")).isPresent();
		long late = profile("late");
		signedIn(late, 100);
		assertThat(this.runs.runToday("second")).isEmpty();

		assertThat(this.jdbc.queryForObject("select count(*) from reclaim_run", Integer.class)).isEqualTo(1);
		assertThat(this.people.get(late).active()).isTrue();
	}

	@Test
	void holdsARunOverTheShareUntilASysadminConfirmsIt() throws Exception {
		List<Long> dormant = List.of(profile("d1"), profile("d2"), profile("d3"));
		for (long id : dormant) {
			signedIn(id, 200);
		}
		profile("fresh");

		ReclaimRuns.RunView held = this.runs.runToday("test").orElseThrow();

		// 3 of 4 active profiles is more than 50 %: nobody is blocked.
		assertThat(held.state()).isEqualTo("HELD");
		assertThat(held.candidatesPrimary()).isEqualTo(3);
		assertThat(held.allowedPrimary()).isEqualTo(2);
		assertThat(Pools.activeRows(this.jdbc, "PRIMARY")).isEqualTo(4);
		assertThat(audit("RECLAIM_RUN_HELD")).singleElement().asString().contains("PRIMARY=3 (allowed 2)");
		MimeMessage heldMail = oneMail();
		assertThat(heldMail.getSubject()).isEqualTo(
				"[Intranet of Example] Reclaim run waits for a confirmation: 3 Primary, 0 Extranet dormant profiles");
		assertThat(GreenMailUtil.getBody(heldMail)).contains("https://intranet.example.org/admin/people/dormant");
		this.mvc.perform(get("/admin/people/dormant").with(user("admin")))
			.andExpect(content().string(containsString("id=\"confirm-run-" + held.id() + "\"")));

		// A people administrator who is not a sysadmin may not confirm it.
		long pa = profile("pa");
		this.people.changeRoles(pa, false, true, "admin");
		this.mvc.perform(post("/admin/people/dormant/runs/{id}/confirm", held.id()).with(user("pa")).with(csrf()))
			.andExpect(status().isForbidden());
		greenMail.purgeEmailFromAllMailboxes();

		this.mvc.perform(post("/admin/people/dormant/runs/{id}/confirm", held.id()).with(user("admin")).with(csrf()))
			.andExpect(redirectedUrl("/admin/people/dormant"))
			.andExpect(flash().attribute("success", "reclaim.run.confirmed"));

		assertThat(dormant)
			.allSatisfy((id) -> assertThat(this.people.get(id).blockReason()).isEqualTo(BlockReason.DORMANT));
		ReclaimRuns.RunView done = this.runs.find(held.id()).orElseThrow();
		assertThat(done.state()).isEqualTo("DONE");
		assertThat(done.confirmedBy()).isEqualTo("admin");
		assertThat(done.reclaimedPrimary()).isEqualTo(3);
		assertThat(audit("RECLAIM_RUN")).singleElement().asString().contains("confirmed by admin");
		assertThat(oneMail().getSubject())
			.isEqualTo("[Intranet of Example] Dormant profiles reclaimed: 3 Primary, 0 Extranet");

		// Confirmed once: a second confirmation is refused, nothing changes.
		this.mvc.perform(post("/admin/people/dormant/runs/{id}/confirm", held.id()).with(user("admin")).with(csrf()))
			.andExpect(flash().attribute("failure", "reclaim.run.notHeld"));
	}

	@Test
	void mailsOneDigestPerRunToTheResponsiblePerson() throws Exception {
		long old = profile("old");
		signedIn(old, 100);
		long older = profile("older");
		created(older, 300);
		for (int i = 0; i < 4; i++) {
			profile("fresh" + i);
		}

		this.runs.runToday("test");

		MimeMessage mail = oneMail();
		assertThat(mail.getAllRecipients()[0].toString()).isEqualTo(RESPONSIBLE);
		assertThat(mail.getSubject())
			.isEqualTo("[Intranet of Example] Dormant profiles reclaimed: 2 Primary, 0 Extranet");
		assertThat(GreenMailUtil.getBody(mail)).contains("Primary pool (Max_Users): 2")
			.contains("Extranet pool (Max_extranet_users): 0")
			.contains("90 days");
	}

	private MimeMessage oneMail() {
		await().atMost(Duration.ofSeconds(10)).until(() -> greenMail.getReceivedMessages().length >= 1);
		MimeMessage[] received = greenMail.getReceivedMessages();
		assertThat(received).hasSize(1);
		return received[0];
	}

	private List<String> audit(String action) {
		return this.jdbc.queryForList("select details from audit_event where action = ? order by id", String.class,
				action);
	}

	private long profile(String username) {
		return this.people.create(aProfile(username), "admin").id();
	}

	private void signedIn(long id, int daysAgo) {
		this.jdbc.update("update profile set created_at = ?, last_sign_in_at = ? where id = ?", ago(daysAgo + 30),
				ago(daysAgo), id);
	}

	private void created(long id, int daysAgo) {
		this.jdbc.update("update profile set created_at = ?, last_sign_in_at = null where id = ?", ago(daysAgo), id);
	}

	static Timestamp ago(int days) {
		return Timestamp.from(Instant.now().minus(Duration.ofDays(days)));
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
