package io.seatkeeper.notification;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.jayway.jsonpath.JsonPath;
import io.seatkeeper.Outbox;
import io.seatkeeper.Pools;
import io.seatkeeper.directory.TestDirectory;
import io.seatkeeper.license.LicenseService;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.ImportMode;
import io.seatkeeper.people.ImportService;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.tokens.ApiTokens;
import io.seatkeeper.tokens.TokenScope;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The early warning (R13) for the bulk paths, against a real SMTP server (GreenMail): a
 * CSV upload, a directory sync and SCIM clients cross the Primary pool's threshold (80 %
 * of 10) through the one writer's {@code LicensesTaken}, and the responsible person gets
 * exactly one mail per episode; the episode ends when the pool drops below the threshold
 * again. Also when the threshold is crossed by several uploads at once, and when a
 * smaller maximum crosses it with no licence taken (the scheduled pool check).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "seatkeeper.notification.early-warning.primary=80", "seatkeeper.mail.pool-check-interval=1h",
				"seatkeeper.mail.poll-interval=100ms", "seatkeeper.mail.site-name=Intranet of Example" })
@AutoConfigureMockMvc
@Tag("database")
class EarlyWarningMailTests {

	static final String RESPONSIBLE = "licences@example.org";

	static final String WARNING_SUBJECT = "[Intranet of Example] Licences running low: Max_Users";

	static final int SMTP_PORT = ForecastNoticeTests.freePort();

	private static final AtomicInteger tokenNames = new AtomicInteger();

	@RegisterExtension
	static GreenMailExtension greenMail = new GreenMailExtension(
			new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

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

	@LocalServerPort
	int port;

	@Autowired
	ImportService imports;

	@Autowired
	PeopleService people;

	@Autowired
	AreaService areas;

	@Autowired
	LicenseService licenses;

	@Autowired
	ApiTokens tokens;

	@Autowired
	LimitEpisodes episodes;

	@Autowired
	ResponsiblePerson responsiblePerson;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MockMvc mvc;

	@BeforeEach
	void startFromKnownState() {
		Pools.reset(this.jdbc, 10, 4);
		Outbox.clear(this.jdbc);
		TestDirectory.forgetRuns(this.jdbc);
		directory.reset();
		this.responsiblePerson.change(RESPONSIBLE, "admin");
	}

	@AfterEach
	void countersEqualTheRows() {
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	@Test
	void csvUploadsWarnOncePerEpisode() throws Exception {
		upload("below", 7);
		assertThat(warnings()).isZero();

		upload("across", 2);
		upload("further", 1);
		assertThat(warnings()).isEqualTo(1);
		assertThat(awaitWarnings(1)).singleElement()
			.satisfies((mail) -> assertThat(mail.getSubject()).startsWith(WARNING_SUBJECT));

		// Three blocked: 7 of 10, below the threshold, and the episode ends.
		for (String username : List.of("below0", "below1", "below2")) {
			this.people.block(this.people.findByUsername(username).orElseThrow().id(), "admin");
		}
		assertThat(openWarnings()).isZero();

		upload("again", 2);
		assertThat(warnings()).isEqualTo(2);
		awaitWarnings(2);
		assertSentOnceEach();
	}

	@Test
	void directorySyncsWarnOncePerEpisode() throws Exception {
		// The test directory maps its Partners OU to this area.
		this.areas.createExtranet("Partners", "admin");
		for (int i = 0; i < 9; i++) {
			directory.addUser(TestDirectory.STAFF, "staff" + i);
		}
		syncDirectory();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(9);

		directory.addUser(TestDirectory.STAFF, "staff9");
		syncDirectory();

		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(10);
		assertThat(warnings()).isEqualTo(1);
		assertThat(awaitWarnings(1)).singleElement()
			.satisfies((mail) -> assertThat(mail.getSubject()).startsWith(WARNING_SUBJECT));
		assertSentOnceEach();
	}

	@Test
	void scimArrivalsWarnOncePerEpisode() throws Exception {
		String token = this.tokens
			.create("scim-warning-" + tokenNames.incrementAndGet(), Set.of(TokenScope.SCIM), null, "admin")
			.token();
		for (int i = 0; i < 7; i++) {
			scimCreate(token, "scim" + i);
		}
		assertThat(warnings()).isZero();

		for (int i = 7; i < 10; i++) {
			scimCreate(token, "scim" + i);
		}

		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(10);
		assertThat(warnings()).isEqualTo(1);
		assertThat(awaitWarnings(1)).singleElement()
			.satisfies((mail) -> assertThat(mail.getSubject()).startsWith(WARNING_SUBJECT));
		assertSentOnceEach();
	}

	@Test
	void uploadsCrossingTheThresholdAtOnceWarnOnce() throws Exception {
		int uploads = 4;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(uploads);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int i = 0; i < uploads; i++) {
				String prefix = "at-once" + i + "-";
				done.add(pool.submit(() -> {
					start.await();
					upload(prefix, 2);
					return null;
				}));
			}
			start.countDown();
			for (Future<?> upload : done) {
				upload.get();
			}
		}
		finally {
			pool.shutdownNow();
		}

		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(8);
		assertThat(warnings()).isEqualTo(1);
		awaitWarnings(1);
		assertSentOnceEach();
	}

	@Test
	void aSmallerMaximumWarnsOnTheScheduledCheck() throws Exception {
		upload("staff", 7);
		assertThat(warnings()).isZero();

		// A licence key shrank Max_Users to 8: 7 of 8 is above 80 %, with no licence
		// taken.
		this.jdbc.update("update license_pool set max_users = 8 where pool = 'PRIMARY'");
		this.episodes.checkPools();
		this.episodes.checkPools();

		assertThat(warnings()).isEqualTo(1);
		awaitWarnings(1);
		assertSentOnceEach();
	}

	private void upload(String prefix, int count) {
		StringBuilder csv = new StringBuilder("username,email\n");
		for (int i = 0; i < count; i++) {
			csv.append(prefix).append(i).append(',').append(prefix).append(i).append("@example.org\n");
		}
		this.imports.importNow(prefix + ".csv", csv.toString().getBytes(StandardCharsets.UTF_8),
				ImportMode.ALL_OR_NOTHING, "admin", Locale.ENGLISH);
	}

	private void scimCreate(String token, String userName) throws Exception {
		String body = """
				{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s","active":true,
				 "emails":[{"primary":true,"type":"work","value":"%s@example.org"}]}""".formatted(userName, userName);
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/scim/v2/Users"))
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.header("Content-Type", "application/scim+json")
				.header("Accept", "application/scim+json")
				.header("Authorization", "Bearer " + token)
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
	}

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
					(state) -> !"RUNNING".equals(state));
		assertThat(this.jdbc.queryForObject("select state from directory_run where id = ?", String.class, id))
			.isEqualTo("DONE");
	}

	private int warnings() {
		return this.jdbc.queryForObject(
				"select count(*) from notification_episode where kind = 'WARNING' and pool = 'PRIMARY'", Integer.class);
	}

	private int openWarnings() {
		return this.jdbc.queryForObject(
				"select count(*) from notification_watch where kind = 'WARNING' and open_episode_id is not null",
				Integer.class);
	}

	private static List<MimeMessage> awaitWarnings(int count) throws Exception {
		await().pollInterval(Duration.ofMillis(50))
			.atMost(Duration.ofSeconds(20))
			.until(() -> warningMails().size() >= count);
		return warningMails();
	}

	private static List<MimeMessage> warningMails() throws Exception {
		List<MimeMessage> warnings = new ArrayList<>();
		for (MimeMessage mail : greenMail.getReceivedMessages()) {
			if (mail.getSubject().startsWith(WARNING_SUBJECT)) {
				warnings.add(mail);
			}
		}
		return warnings;
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
		assertThat(greenMail.getReceivedMessages())
			.hasSize(this.jdbc.queryForObject("select count(*) from mail_outbox", Integer.class));
	}

}
