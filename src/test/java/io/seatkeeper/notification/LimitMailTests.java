package io.seatkeeper.notification;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.jayway.jsonpath.JsonPath;
import io.seatkeeper.Outbox;
import io.seatkeeper.Pools;
import io.seatkeeper.directory.TestDirectory;
import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileView;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
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
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The licence-limit mails (R13) against a real SMTP server (GreenMail) and a real
 * database: one mail per pool per episode, delivered once, retried while the mail server
 * is down; and the responsible person form on the License page.
 */
@SpringBootTest(properties = { "seatkeeper.mail.poll-interval=100ms", "seatkeeper.mail.retry-first=100ms",
		"seatkeeper.mail.retry-max=300ms", "seatkeeper.mail.pool-check-interval=200ms",
		"seatkeeper.mail.from=seatkeeper@example.org", "seatkeeper.mail.site-name=Intranet of Example",
		"seatkeeper.mail.base-url=https://intranet.example.org/", "seatkeeper.notification.early-warning.extranet=50" })
@AutoConfigureMockMvc
@Tag("database")
class LimitMailTests {

	static final String RESPONSIBLE = "licences@example.org";

	static final int SMTP_PORT = freePort();

	// A fixed port, so that the server comes back where the application expects it.
	@RegisterExtension
	static GreenMailExtension greenMail = new GreenMailExtension(
			new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
		.withPerMethodLifecycle(false);

	static final TestDirectory directory = new TestDirectory();

	@DynamicPropertySource
	static void mailServerAndDirectory(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> SMTP_PORT);
		directory.register(registry);
	}

	@AfterAll
	static void stopDirectory() {
		directory.shutDown();
	}

	@Autowired
	PeopleService people;

	@Autowired
	AreaService areas;

	@Autowired
	ResponsiblePerson responsiblePerson;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MockMvc mvc;

	@BeforeEach
	void startFromKnownState() throws Exception {
		if (!greenMail.isRunning()) {
			greenMail.start();
		}
		Pools.reset(this.jdbc, 1, 4);
		Outbox.clear(this.jdbc);
		directory.reset();
		this.responsiblePerson.change(RESPONSIBLE, "admin");
		greenMail.purgeEmailFromAllMailboxes();
	}

	@Test
	void hundredRefusalsInOneEpisodeQueueOneMailThatCountsThemAllWhileTheServerIsDown() throws Exception {
		this.people.create(aProfile("alice"), "admin");
		greenMail.stop();
		try {
			for (int i = 0; i < 100; i++) {
				String username = "refused" + i;
				assertThatExceptionOfType(LicenseLimitExceeded.class)
					.isThrownBy(() -> this.people.create(aProfile(username), "admin"));
			}
			assertThat(queued()).isEqualTo(1);
			assertThat(this.jdbc.queryForObject("select refused_attempts from notification_episode", Integer.class))
				.isEqualTo(100);
			// Mail server down: the mail stays queued, and every failed attempt is
			// recorded.
			await().pollInterval(Duration.ofMillis(50))
				.atMost(Duration.ofSeconds(20))
				.until(() -> this.jdbc.queryForObject("select count(*) from mail_attempt", Integer.class) >= 2);
			assertThat(
					this.jdbc.queryForObject("select count(*) from mail_outbox where sent_at is null", Integer.class))
				.isEqualTo(1);
			assertThat(this.jdbc.queryForObject("select last_error from mail_outbox", String.class)).isNotBlank();
		}
		finally {
			greenMail.start();
		}

		MimeMessage mail = awaitMails(1).get(0);

		assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly(RESPONSIBLE);
		assertThat(mail.getFrom()).extracting(Object::toString).containsExactly("seatkeeper@example.org");
		assertThat(mail.getSubject())
			.isEqualTo("[Intranet of Example] Licence limit reached: Max_Users (1 active of 1)");
		String text = part(mail, "text/plain");
		assertThat(text).contains("Intranet of Example")
			.contains("Pool: Max_Users")
			.contains("Maximum: 1")
			.contains("Active: 1")
			.contains("Attempts refused so far: 100")
			.contains("https://intranet.example.org/admin/system/license")
			.contains("https://intranet.example.org/admin/people");
		String html = part(mail, "text/html");
		assertThat(html).contains("<td id=\"refused\">100</td>")
			.contains("href=\"https://intranet.example.org/admin/system/license\"")
			.contains("href=\"https://intranet.example.org/admin/people\"");
		assertSentOnceEach();
	}

	@Test
	void refusalsOfEveryKindInOneEpisodeOnlyCount() throws Exception {
		Pools.reset(this.jdbc, 2, 4);
		this.people.create(aProfile("alice"), "admin");
		ProfileView bob = this.people.create(aProfile("bob"), "admin");
		this.people.block(bob.id(), "admin");
		this.people.create(aProfile("carol"), "admin");
		long partners = this.areas.createExtranet("Partners", "admin").id();
		ProfileView eve = this.people.create(aProfile("eve", partners), "admin");
		long primary = this.jdbc.queryForObject("select id from area where kind = 'PRIMARY'", Long.class);

		assertThatExceptionOfType(LicenseLimitExceeded.class)
			.isThrownBy(() -> this.people.reinstate(bob.id(), "admin"));
		refuse("dave");
		assertThatExceptionOfType(LicenseLimitExceeded.class)
			.isThrownBy(() -> this.people.move(eve.id(), primary, "admin"));

		assertThat(queued()).isEqualTo(1);
		assertThat(this.jdbc.queryForObject("select refused_attempts from notification_episode", Integer.class))
			.isEqualTo(3);
		awaitMails(1);
		assertSentOnceEach();
	}

	@Test
	void freedLicenseClosesTheEpisodeAndTheNextRefusalOpensANewOne() throws Exception {
		long auditBefore = this.jdbc.queryForObject("select coalesce(max(id), 0) from audit_event", Long.class);
		ProfileView alice = this.people.create(aProfile("alice"), "admin");
		refuse("bob");
		refuse("carol");
		awaitMails(1);

		this.people.block(alice.id(), "admin");
		assertThat(this.jdbc.queryForObject("select count(*) from notification_episode where closed_at is null",
				Integer.class))
			.isZero();
		this.people.create(aProfile("dave"), "admin");
		refuse("erin");

		List<MimeMessage> mails = awaitMails(2);
		// The counters are those at sending time: the first mail may have left after bob.
		assertThat(part(mails.get(1), "text/plain")).contains("Attempts refused so far: 1");
		assertThat(this.jdbc.queryForObject("select count(*) from notification_episode", Integer.class)).isEqualTo(2);
		assertThat(this.jdbc.queryForList(
				"select action from audit_event where action like 'LIMIT_%' and id > ? order by id", String.class,
				auditBefore))
			.containsExactly("LIMIT_MAIL_QUEUED", "LIMIT_EPISODE_CLOSED", "LIMIT_MAIL_QUEUED");
		assertSentOnceEach();
	}

	@Test
	void refusedCsvUploadCountsInTheOpenEpisode() throws Exception {
		this.people.create(aProfile("alice"), "admin");
		refuse("bob");

		this.mvc
			.perform(post("/api/v1/profiles/import").param("mode", "all-or-nothing")
				.contentType("text/csv")
				.content("username,email\ncarol,carol@example.org\ndave,dave@example.org\n")
				.with(user("admin").roles("PEOPLE_ADMIN")))
			.andExpect(status().isConflict());

		assertThat(queued()).isEqualTo(1);
		assertThat(this.jdbc.queryForObject("select refused_attempts from notification_episode", Integer.class))
			.isEqualTo(2);
		awaitMails(1);
		assertSentOnceEach();
	}

	@Test
	void largerMaximumEndsTheEpisodeOnTheScheduledCheck() throws Exception {
		this.people.create(aProfile("alice"), "admin");
		refuse("bob");
		awaitMails(1);

		// A licence key raised Max_Users: no profile event tells, the scheduled check
		// does.
		this.jdbc.update("update license_pool set max_users = 2 where pool = 'PRIMARY'");
		await().pollInterval(Duration.ofMillis(50))
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.jdbc.queryForObject(
					"select count(*) from notification_episode where closed_at is not null", Integer.class) == 1);
		this.people.create(aProfile("carol"), "admin");
		refuse("dave");

		awaitMails(2);
		assertThat(this.jdbc.queryForObject("select count(*) from notification_episode", Integer.class)).isEqualTo(2);
		assertSentOnceEach();
	}

	@Test
	void poolAboveItsMaximumQueuesOneMailFoundByTheScheduledCheck() throws Exception {
		Pools.reset(this.jdbc, 2, 4);
		this.people.create(aProfile("alice"), "admin");
		this.people.create(aProfile("bob"), "admin");
		// A licence key or a move of licences shrank the pool below its active count.
		this.jdbc.update("update license_pool set max_users = 1 where pool = 'PRIMARY'");

		MimeMessage mail = awaitMails(1).get(0);

		assertThat(mail.getSubject()).contains("Max_Users (2 active of 1)");
		assertThat(this.jdbc.queryForObject("select opened_by from notification_episode", String.class))
			.isEqualTo("OVER");
		refuse("carol");
		assertThat(queued()).isEqualTo(1);
		assertThat(this.jdbc.queryForObject("select refused_attempts from notification_episode", Integer.class))
			.isEqualTo(1);
		assertSentOnceEach();
	}

	@Test
	void directorySyncsThatLeaveProfilesAwaitingALicenseOpenOneEpisode() throws Exception {
		// The pool is full, so that the scheduled pool check, seeing no free licence,
		// does
		// not close the episode between the two runs.
		this.areas.createExtranet("Partners", "admin");
		this.jdbc.update("update license_pool set max_users = 0 where pool = 'PRIMARY'");
		for (String username : List.of("sync1", "sync2", "sync3")) {
			directory.addUser(TestDirectory.STAFF, username);
		}
		syncDirectory();

		assertThat(queued()).isEqualTo(1);
		assertThat(part(awaitMails(1).get(0), "text/plain")).contains("Profiles awaiting a licence: 3")
			.contains("1. sync1");
		directory.addUser(TestDirectory.STAFF, "sync4");
		syncDirectory();

		assertThat(this.jdbc.queryForObject("select count(*) from profile where block_reason = 'AWAITING_LICENSE'",
				Integer.class))
			.isEqualTo(4);
		assertThat(queued()).isEqualTo(1);
		// Each run is two limit events of the one episode: the profiles it left queued
		// (ProfilesQueued, from the writer) and the run's refusal (LicenseLimitReached).
		assertThat(this.jdbc.queryForObject("select events from notification_episode", Integer.class)).isEqualTo(4);
		assertSentOnceEach();
	}

	@Test
	void earlyWarningAtItsThresholdQueuesOneMailPerEpisode() throws Exception {
		long partners = this.areas.createExtranet("Partners", "admin").id();
		this.people.create(aProfile("eve", partners), "admin");
		assertThat(queued()).isZero();

		this.people.create(aProfile("frank", partners), "admin");
		this.people.create(aProfile("grace", partners), "admin");

		assertThat(queued()).isEqualTo(1);
		MimeMessage mail = awaitMails(1).get(0);
		assertThat(mail.getSubject()).contains("Licences running low: Max_extranet_users");
		assertSentOnceEach();
	}

	@Test
	void noResponsiblePersonQueuesNothingAndTheLicensePageWarns() throws Exception {
		this.responsiblePerson.change("", "admin");
		this.people.create(aProfile("alice"), "admin");
		refuse("bob");

		assertThat(queued()).isZero();
		String page = this.mvc.perform(get("/admin/system/license").with(sysadmin()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("id=\"no-responsible-person\"").contains("nobody will be told");
	}

	@Test
	void changesTheResponsiblePersonAtOnceAndAuditsIt() throws Exception {
		this.mvc
			.perform(post("/admin/system/license/responsible-person").param("email", " group-it@example.org ")
				.with(sysadmin())
				.with(csrf()))
			.andExpect(redirectedUrl("/admin/system/license"))
			.andExpect(flash().attribute("success", "responsible.changed"));

		assertThat(this.responsiblePerson.address()).isEqualTo("group-it@example.org");
		assertThat(this.jdbc.queryForObject(
				"select details from audit_event where action = 'RESPONSIBLE_PERSON_CHANGED' order by id desc fetch first 1 rows only",
				String.class))
			.isEqualTo("from=" + RESPONSIBLE + ", to=group-it@example.org");
		this.people.create(aProfile("alice"), "admin");
		refuse("bob");
		assertThat(awaitMails(1).get(0).getAllRecipients()).extracting(Object::toString)
			.containsExactly("group-it@example.org");
	}

	@Test
	void refusesABadAddressWithAClearMessageAndChangesNothing() throws Exception {
		for (String bad : List.of("not an address", "licences@", "a@example.org, b@example.org", "@example.org")) {
			String page = this.mvc.perform(
					post("/admin/system/license/responsible-person").param("email", bad).with(sysadmin()).with(csrf()))
				.andExpect(status().isBadRequest())
				.andReturn()
				.getResponse()
				.getContentAsString();
			assertThat(page).as(bad).contains("id=\"responsible-email-error\"").contains("Nothing was changed.");
			assertThat(this.responsiblePerson.address()).as(bad).isEqualTo(RESPONSIBLE);
		}
	}

	@Test
	void refusesHeaderInjectionInTheAddress() throws Exception {
		for (String injected : List.of("victim@example.org\r\nBcc: everyone@example.org",
				"victim@example.org\nSubject: hello", "victim@example.org\r")) {
			String page = this.mvc
				.perform(post("/admin/system/license/responsible-person").param("email", injected)
					.with(sysadmin())
					.with(csrf()))
				.andExpect(status().isBadRequest())
				.andReturn()
				.getResponse()
				.getContentAsString();
			assertThat(page).contains("must not contain line breaks");
			assertThat(this.responsiblePerson.address()).isEqualTo(RESPONSIBLE);
		}
		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'RESPONSIBLE_PERSON_CHANGED' and details like '%victim%'",
				Integer.class))
			.isZero();
	}

	@Test
	void testMailSaysWhetherTheServerAcceptedIt() throws Exception {
		this.mvc.perform(post("/admin/system/license/test-mail").with(sysadmin()).with(csrf()))
			.andExpect(redirectedUrl("/admin/system/license"))
			.andExpect(flash().attribute("success", "mail.test.accepted"));
		assertThat(greenMail.getReceivedMessages()).hasSize(1);

		greenMail.stop();
		try {
			this.mvc.perform(post("/admin/system/license/test-mail").with(sysadmin()).with(csrf()))
				.andExpect(redirectedUrl("/admin/system/license"))
				.andExpect(flash().attribute("failure", "mail.test.refused"));
		}
		finally {
			greenMail.start();
		}
	}

	@Test
	void outboxPageShowsQueuedSentAndFailedMailToASysadminOnly() throws Exception {
		Pools.reset(this.jdbc, 2, 4);
		ProfileView peopleAdmin = this.people.create(aProfile("pa"), "admin");
		this.people.changeRoles(peopleAdmin.id(), false, true, "admin");
		this.people.create(aProfile("alice"), "admin");
		refuse("bob");
		awaitMails(1);

		String page = this.mvc.perform(get("/admin/system/mail").with(sysadmin()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();

		assertThat(page).contains("id=\"outbox\"").contains(RESPONSIBLE).contains("Sent ");
		assertThat(page).doesNotContain("id=\"mail-not-configured\"");
		this.mvc.perform(get("/admin/system/mail").with(user("pa").roles("PEOPLE_ADMIN")))
			.andExpect(status().isForbidden());
	}

	private int queued() {
		return this.jdbc.queryForObject("select count(*) from mail_outbox", Integer.class);
	}

	/**
	 * Runs a directory sync through the API and waits until it finished.
	 */
	private void syncDirectory() throws Exception {
		String started = this.mvc.perform(post("/api/v1/directory/sync").with(user("admin").roles("SYSADMIN")))
			.andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String id = JsonPath.read(started, "$.id");
		await().pollInterval(Duration.ofMillis(50))
			.atMost(Duration.ofSeconds(20))
			.until(() -> this.jdbc.queryForObject("select state from directory_run where id = ?", String.class, id),
					"DONE"::equals);
	}

	private void refuse(String username) {
		assertThatExceptionOfType(LicenseLimitExceeded.class)
			.isThrownBy(() -> this.people.create(aProfile(username), "admin"));
	}

	/**
	 * Every row of the outbox was sent, and the mail server received exactly one mail per
	 * row: none twice.
	 */
	private void assertSentOnceEach() {
		await().pollInterval(Duration.ofMillis(50))
			.atMost(Duration.ofSeconds(20))
			.until(() -> this.jdbc.queryForObject("select count(*) from mail_outbox where sent_at is null",
					Integer.class) == 0);
		assertThat(greenMail.getReceivedMessages()).hasSize(queued());
	}

	static List<MimeMessage> awaitMails(int count) {
		await().pollInterval(Duration.ofMillis(50))
			.atMost(Duration.ofSeconds(20))
			.until(() -> greenMail.getReceivedMessages().length >= count);
		return List.of(greenMail.getReceivedMessages());
	}

	static String part(Part part, String type) throws Exception {
		if (part.isMimeType(type)) {
			return part.getContent().toString();
		}
		if (part.getContent() instanceof Multipart multipart) {
			for (int i = 0; i < multipart.getCount(); i++) {
				BodyPart child = multipart.getBodyPart(i);
				String found = part(child, type);
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}

	private static org.springframework.test.web.servlet.request.RequestPostProcessor sysadmin() {
		return user("admin").roles("SYSADMIN");
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
