package io.seatkeeper.notification;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntUnaryOperator;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.seatkeeper.Outbox;
import io.seatkeeper.Pools;
import io.seatkeeper.license.Pool;
import io.seatkeeper.license.UsageHistory;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The forecast notice (R20) against a real SMTP server (GreenMail): one mail to the
 * responsible person when a pool's forecast comes within {@code notice-within}, once per
 * episode however often and on however many nodes the forecast is checked; the episode
 * ends when the forecast moves out of the window, and the next arrival opens a new one.
 * The schedule is put off: each test checks when it wants.
 */
@SpringBootTest(properties = { "seatkeeper.forecast.notice-within=30d", "seatkeeper.forecast.check-interval=1h",
		"seatkeeper.usage.first-snapshot-after=1h", "seatkeeper.mail.poll-interval=100ms",
		"seatkeeper.mail.pool-check-interval=1h", "seatkeeper.mail.from=seatkeeper@example.org",
		"seatkeeper.mail.site-name=Intranet of Example", "seatkeeper.mail.base-url=https://intranet.example.org" })
@Tag("database")
class ForecastNoticeTests {

	static final String RESPONSIBLE = "licences@example.org";

	static final int SMTP_PORT = freePort();

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);

	@RegisterExtension
	static GreenMailExtension greenMail = new GreenMailExtension(
			new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

	@DynamicPropertySource
	static void mailServer(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> SMTP_PORT);
	}

	@Autowired
	ForecastNotices notices;

	@Autowired
	UsageHistory history;

	@Autowired
	ResponsiblePerson responsiblePerson;

	@Autowired
	JdbcTemplate jdbc;

	LocalDate today;

	@BeforeEach
	void startFromKnownState() {
		Pools.reset(this.jdbc, 50, 20);
		Outbox.clear(this.jdbc);
		this.jdbc.update("delete from usage_day");
		this.jdbc.update("delete from audit_event");
		this.responsiblePerson.change(RESPONSIBLE, "admin");
		this.today = this.history.today();
	}

	@Test
	void aForecastWithinTheWindowIsNoticedOncePerEpisode() throws Exception {
		// One more a day, 39 today: Max_Users (50) is reached in 11 days.
		rising(Pool.PRIMARY);

		assertThat(this.notices.check()).isEqualTo(1);
		assertThat(this.notices.check()).isZero();
		assertThat(this.notices.check()).isZero();

		MimeMessage mail = awaitMails(1).get(0);
		String day = DAY.format(this.today.plusDays(11));
		assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly(RESPONSIBLE);
		assertThat(mail.getSubject()).isEqualTo("[Intranet of Example] Licence forecast: Max_Users full around " + day);
		assertThat(LimitMailTests.part(mail, "text/plain"))
			.contains("At the last 90 days' rate, the Max_Users pool of Intranet of Example is reached around " + day
					+ ", in 11 days")
			.contains("grows by 1.00 a day (least squares over 30 days of history)")
			.contains("https://intranet.example.org/admin/system/license");
		assertThat(episodes("closed_at is null")).isEqualTo(1);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'LIMIT_MAIL_QUEUED' and details like 'kind=FORECAST%'",
				Integer.class))
			.isEqualTo(1);

		// The peak flattens: the forecast leaves the window, and the episode ends.
		this.jdbc.update("delete from usage_day");
		days(Pool.PRIMARY, 30, (i) -> 39);
		assertThat(this.notices.check()).isZero();
		assertThat(episodes("closed_at is null")).isZero();
		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'LIMIT_EPISODE_CLOSED' and details like 'kind=FORECAST%'",
				Integer.class))
			.isEqualTo(1);

		// It rises again: a new episode, a second mail.
		this.jdbc.update("delete from usage_day");
		rising(Pool.PRIMARY);
		assertThat(this.notices.check()).isEqualTo(1);
		assertThat(this.notices.check()).isZero();

		awaitMails(2);
		assertSentOnceEach();
		assertThat(episodes("1 = 1")).isEqualTo(2);
	}

	@Test
	void aForecastFartherAwayThanTheWindowIsNotNoticed() throws Exception {
		Pools.reset(this.jdbc, 100, 20);
		// 61 days to go, the window is 30.
		rising(Pool.PRIMARY);

		assertThat(this.notices.check()).isZero();

		assertThat(episodes("1 = 1")).isZero();
		assertThat(this.jdbc.queryForObject("select count(*) from mail_outbox", Integer.class)).isZero();
	}

	@Test
	void aForecastMovingOutOfTheWindowEndsTheEpisode() throws Exception {
		rising(Pool.PRIMARY);
		assertThat(this.notices.check()).isEqualTo(1);

		// A licence key raised Max_Users: 61 days to go now.
		this.jdbc.update("update license_pool set max_users = 100 where pool = 'PRIMARY'");
		assertThat(this.notices.check()).isZero();

		assertThat(episodes("closed_at is null")).isZero();
		awaitMails(1);
		assertSentOnceEach();
	}

	@Test
	void nodesCheckingAtOnceQueueOneNotice() throws Exception {
		rising(Pool.EXTRANET);
		Pools.reset(this.jdbc, 50, 45);
		int nodes = 6;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(nodes);
		try {
			List<Future<Integer>> checks = new ArrayList<>();
			for (int i = 0; i < nodes; i++) {
				checks.add(pool.submit(() -> {
					start.await();
					return this.notices.check();
				}));
			}
			start.countDown();
			int queued = 0;
			for (Future<Integer> check : checks) {
				queued += check.get();
			}
			assertThat(queued).isEqualTo(1);
		}
		finally {
			pool.shutdownNow();
		}

		MimeMessage mail = awaitMails(1).get(0);
		assertThat(mail.getSubject()).contains("Max_extranet_users full around");
		assertSentOnceEach();
		assertThat(episodes("1 = 1")).isEqualTo(1);
	}

	@Test
	void withoutAResponsiblePersonNothingIsQueued() {
		this.responsiblePerson.change("", "admin");
		rising(Pool.PRIMARY);

		assertThat(this.notices.check()).isZero();

		assertThat(episodes("1 = 1")).isZero();
	}

	private void rising(Pool pool) {
		days(pool, 30, (i) -> 10 + i);
	}

	private void days(Pool pool, int count, IntUnaryOperator peak) {
		for (int i = 0; i < count; i++) {
			this.jdbc.update(
					"insert into usage_day (pool, usage_date, max_users, active_count, awaiting, peak_active, "
							+ "updated_at) values (?, ?, ?, ?, 0, ?, ?)",
					pool.name(), Date.valueOf(this.today.minusDays(count - 1 - i)), 50, peak.applyAsInt(i),
					peak.applyAsInt(i), Timestamp.from(Instant.now()));
		}
	}

	private int episodes(String condition) {
		return this.jdbc.queryForObject(
				"select count(*) from notification_episode where kind = 'FORECAST' and " + condition, Integer.class);
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

	static List<MimeMessage> awaitMails(int count) {
		await().pollInterval(Duration.ofMillis(50))
			.atMost(Duration.ofSeconds(20))
			.until(() -> greenMail.getReceivedMessages().length >= count);
		return List.of(greenMail.getReceivedMessages());
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
