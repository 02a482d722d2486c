package io.seatkeeper.notification;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.seatkeeper.Outbox;
import io.seatkeeper.Pools;
import io.seatkeeper.TwoNodes;
import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Two application nodes on one embedded PostgreSQL database drain the same outbox: each
 * mail is claimed by one node and delivered exactly once. A node that queued mail without
 * a mail server, and stopped, leaves it for the others.
 */
class TwoNodeMailTests {

	static final int SMTP_PORT = LimitMailTests.freePort();

	@RegisterExtension
	static GreenMailExtension greenMail = new GreenMailExtension(
			new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
		.withPerMethodLifecycle(false);

	// Mail is polled and retried quickly; a node without a mail server only queues.
	static final String[] QUICK_MAIL = { "seatkeeper.mail.poll-interval=100ms", "seatkeeper.mail.retry-first=100ms",
			"seatkeeper.mail.retry-max=300ms" };

	@RegisterExtension
	static final TwoNodes nodes = TwoNodes.of(2, withMailServer());

	@BeforeEach
	void startFromKnownState() throws Exception {
		JdbcTemplate jdbc = nodes.node(0).getBean(JdbcTemplate.class);
		Pools.reset(jdbc, 1, 1);
		Outbox.clear(jdbc);
		nodes.node(0).getBean(ResponsiblePerson.class).change(LimitMailTests.RESPONSIBLE, "admin");
		greenMail.purgeEmailFromAllMailboxes();
	}

	@Test
	void twoNodesDrainingOneOutboxDeliverEveryMailExactlyOnce() throws Exception {
		JdbcTemplate jdbc = nodes.node(0).getBean(JdbcTemplate.class);
		PeopleService onA = nodes.node(0).getBean(PeopleService.class);
		PeopleService onB = nodes.node(1).getBean(PeopleService.class);
		MailOutbox outboxA = nodes.node(0).getBean(MailOutbox.class);
		MailOutbox outboxB = nodes.node(1).getBean(MailOutbox.class);
		ExecutorService drainers = Executors.newFixedThreadPool(4);
		List<Future<?>> running = new ArrayList<>();
		try {
			// Four threads, two per node, drain the outbox as fast as they can while the
			// episodes open and close.
			for (int i = 0; i < 4; i++) {
				MailOutbox outbox = (i % 2 == 0) ? outboxA : outboxB;
				running.add(drainers.submit(() -> {
					while (!Thread.currentThread().isInterrupted()) {
						outbox.drain();
					}
				}));
			}
			int episodes = 15;
			for (int i = 0; i < episodes; i++) {
				PeopleService here = (i % 2 == 0) ? onA : onB;
				PeopleService there = (i % 2 == 0) ? onB : onA;
				ProfileView holder = here.create(aProfile("holder" + i), "admin");
				String refused = "refused" + i;
				assertThatExceptionOfType(LicenseLimitExceeded.class)
					.isThrownBy(() -> there.create(aProfile(refused), "admin"));
				there.block(holder.id(), "admin");
			}
			assertThat(jdbc.queryForObject("select count(*) from mail_outbox", Integer.class)).isEqualTo(episodes);

			await().pollInterval(Duration.ofMillis(50))
				.atMost(Duration.ofSeconds(30))
				.until(() -> jdbc.queryForObject("select count(*) from mail_outbox where sent_at is null",
						Integer.class) == 0);

			assertThat(greenMail.getReceivedMessages()).hasSize(episodes);
			List<String> senders = jdbc.queryForList("select distinct substring(claimed_by, 1, 13) from mail_outbox",
					String.class);
			System.out.printf("MAIL [postgresql, two nodes] %d mails, sent by %s%n", episodes, senders);
		}
		finally {
			running.forEach((future) -> future.cancel(true));
			drainers.shutdownNow();
			drainers.awaitTermination(10, TimeUnit.SECONDS);
		}
		assertThat(greenMail.getReceivedMessages()).hasSize(15);
	}

	@Test
	void mailQueuedByANodeThatStoppedIsDeliveredByAnother() throws Exception {
		ConfigurableApplicationContext withoutMail = nodes.startNode("c", QUICK_MAIL);
		try {
			PeopleService people = withoutMail.getBean(PeopleService.class);
			people.create(aProfile("holder"), "admin");
			assertThatExceptionOfType(LicenseLimitExceeded.class)
				.isThrownBy(() -> people.create(aProfile("refused"), "admin"));
		}
		finally {
			withoutMail.close();
		}

		await().pollInterval(Duration.ofMillis(50))
			.atMost(Duration.ofSeconds(20))
			.until(() -> greenMail.getReceivedMessages().length >= 1);
		JdbcTemplate jdbc = nodes.node(0).getBean(JdbcTemplate.class);
		await().pollInterval(Duration.ofMillis(50))
			.atMost(Duration.ofSeconds(10))
			.until(() -> jdbc.queryForObject("select count(*) from mail_outbox where sent_at is null",
					Integer.class) == 0);
		assertThat(greenMail.getReceivedMessages()).hasSize(1);
	}

	private static String[] withMailServer() {
		List<String> properties = new ArrayList<>(List.of(QUICK_MAIL));
		properties.add("spring.mail.host=127.0.0.1");
		properties.add("spring.mail.port=" + SMTP_PORT);
		return properties.toArray(String[]::new);
	}

}
