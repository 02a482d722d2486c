package io.seatkeeper.notification;

import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.seatkeeper.Outbox;
import io.seatkeeper.Pools;
import io.seatkeeper.TwoNodes;
import io.seatkeeper.license.UsageHistory;
import io.seatkeeper.people.ImportMode;
import io.seatkeeper.people.ImportService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application nodes on one embedded PostgreSQL database: CSV uploads on both that
 * cross the early warning's threshold at once, and forecast checks on both at once, each
 * queue one mail for the episode, delivered once.
 */
class TwoNodeNoticeTests {

	static final int SMTP_PORT = LimitMailTests.freePort();

	@RegisterExtension
	static GreenMailExtension greenMail = new GreenMailExtension(
			new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

	@RegisterExtension
	static final TwoNodes nodes = TwoNodes.of(2, "seatkeeper.mail.poll-interval=100ms",
			"seatkeeper.mail.pool-check-interval=1h", "seatkeeper.notification.early-warning.primary=80",
			"seatkeeper.forecast.notice-within=30d", "seatkeeper.forecast.check-interval=1h",
			"seatkeeper.usage.first-snapshot-after=1h", "spring.mail.host=127.0.0.1", "spring.mail.port=" + SMTP_PORT);

	JdbcTemplate jdbc;

	@BeforeEach
	void startFromKnownState() {
		this.jdbc = nodes.node(0).getBean(JdbcTemplate.class);
		Pools.reset(this.jdbc, 20, 4);
		Outbox.clear(this.jdbc);
		this.jdbc.update("delete from usage_day");
		nodes.node(0).getBean(ResponsiblePerson.class).change(LimitMailTests.RESPONSIBLE, "admin");
	}

	@Test
	void uploadsOnBothNodesCrossingTheThresholdWarnOnce() throws Exception {
		// 8 uploads of 2, four per node: 16 of 20 is the threshold.
		List<Callable<Object>> uploads = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			ImportService imports = nodes.node(i % 2).getBean(ImportService.class);
			String prefix = "node" + (i % 2) + "-upload" + i + "-";
			uploads.add(() -> imports.importNow(prefix + ".csv",
					("username,email\n" + prefix + "a," + prefix + "a@example.org\n" + prefix + "b," + prefix
							+ "b@example.org\n")
						.getBytes(StandardCharsets.UTF_8),
					ImportMode.ALL_OR_NOTHING, "admin", Locale.ENGLISH));
		}

		runAtOnce(uploads);

		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(16);
		assertThat(episodes("WARNING")).isEqualTo(1);
		assertDeliveredOnce();
	}

	@Test
	void forecastChecksOnBothNodesNoticeOnce() throws Exception {
		LocalDate today = nodes.node(0).getBean(UsageHistory.class).today();
		// One more a day, 29 today: Max_Users (20) is full already.
		for (int i = 0; i < 30; i++) {
			this.jdbc.update(
					"insert into usage_day (pool, usage_date, max_users, active_count, awaiting, peak_active, "
							+ "updated_at) values ('PRIMARY', ?, 20, ?, 0, ?, ?)",
					Date.valueOf(today.minusDays(29 - i)), i, i, Timestamp.from(Instant.now()));
		}
		List<Callable<Object>> checks = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			ForecastNotices notices = nodes.node(i % 2).getBean(ForecastNotices.class);
			checks.add(notices::check);
		}

		List<Object> queued = runAtOnce(checks);

		assertThat(queued).containsOnly(0, 1).filteredOn((count) -> count.equals(1)).hasSize(1);
		assertThat(episodes("FORECAST")).isEqualTo(1);
		assertDeliveredOnce();
	}

	private static List<Object> runAtOnce(List<Callable<Object>> tasks) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
		try {
			List<Future<Object>> running = new ArrayList<>();
			for (Callable<Object> task : tasks) {
				running.add(threads.submit(() -> {
					start.await();
					return task.call();
				}));
			}
			start.countDown();
			List<Object> results = new ArrayList<>();
			for (Future<Object> result : running) {
				results.add(result.get());
			}
			return results;
		}
		finally {
			threads.shutdownNow();
		}
	}

	private int episodes(String kind) {
		return this.jdbc.queryForObject("select count(*) from notification_episode where kind = ?", Integer.class,
				kind);
	}

	private void assertDeliveredOnce() {
		await().pollInterval(Duration.ofMillis(50))
			.atMost(Duration.ofSeconds(20))
			.until(() -> greenMail.getReceivedMessages().length >= 1 && this.jdbc
				.queryForObject("select count(*) from mail_outbox where sent_at is null", Integer.class) == 0);
		assertThat(this.jdbc.queryForObject("select count(*) from mail_outbox", Integer.class)).isEqualTo(1);
		assertThat(greenMail.getReceivedMessages()).hasSize(1);
	}

}
