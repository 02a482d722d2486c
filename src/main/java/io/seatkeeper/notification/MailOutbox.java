package io.seatkeeper.notification;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Delivers the outbox. A node claims a row with one atomic update (only a row that is
 * unsent and unclaimed, or whose claim ran out, can be claimed), sends it, and marks it
 * sent under the same claim; so two nodes never send the same row. A failed attempt is
 * recorded with the mail server's answer, and the row waits longer before each retry.
 * <p>
 * A mail is written when it is sent, from the episode as it stands then: its counters are
 * the counts at sending time.
 */
@Component
class MailOutbox {

	private static final Logger logger = LoggerFactory.getLogger(MailOutbox.class);

	private static final int BATCH = 20;

	private final JdbcTemplate jdbc;

	private final ObjectProvider<JavaMailSender> mailSenders;

	private final LimitMail mails;

	private final NotificationMailProperties properties;

	private final String node = "node-" + UUID.randomUUID().toString().substring(0, 8);

	private final ExecutorService wakeUps = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "mail-outbox");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicBoolean wakeUpPending = new AtomicBoolean();

	MailOutbox(JdbcTemplate jdbc, ObjectProvider<JavaMailSender> mailSenders, LimitMail mails,
			NotificationMailProperties properties) {
		this.jdbc = jdbc;
		this.mailSenders = mailSenders;
		this.mails = mails;
		this.properties = properties;
	}

	/**
	 * Delivers what is due soon, on another thread: called after a commit that queued a
	 * mail.
	 */
	void wake() {
		if (this.wakeUpPending.compareAndSet(false, true)) {
			this.wakeUps.execute(() -> {
				this.wakeUpPending.set(false);
				drain();
			});
		}
	}

	@Scheduled(fixedDelayString = "${seatkeeper.mail.poll-interval:5s}")
	void drainOnSchedule() {
		drain();
	}

	/**
	 * Delivers every row that is due, and says how many were sent.
	 */
	int drain() {
		JavaMailSender sender = this.mailSenders.getIfAvailable();
		if (sender == null) {
			return 0;
		}
		int sent = 0;
		try {
			Timestamp now = Timestamp.from(Instant.now());
			List<Long> due = this.jdbc
				.queryForList("select id from mail_outbox where sent_at is null and next_attempt_at <= ? "
						+ "and (claimed_until is null or claimed_until < ?) order by id fetch first " + BATCH
						+ " rows only", Long.class, now, now);
			for (long id : due) {
				String claim = claim(id);
				if (claim != null && deliver(id, claim, sender)) {
					sent++;
				}
			}
		}
		catch (RuntimeException ex) {
			// The database may be going away (shutdown) or busy: the next run tries
			// again.
			logger.warn("Could not read the mail outbox: {}", ex.getMessage());
		}
		return sent;
	}

	private String claim(long id) {
		String claim = this.node + ":" + UUID.randomUUID();
		Instant now = Instant.now();
		int claimed = this.jdbc.update(
				"update mail_outbox set claimed_by = ?, claimed_until = ? where id = ? and sent_at is null "
						+ "and (claimed_until is null or claimed_until < ?)",
				claim, Timestamp.from(now.plus(this.properties.claimFor())), id, Timestamp.from(now));
		return (claimed == 1) ? claim : null;
	}

	private boolean deliver(long id, String claim, JavaMailSender sender) {
		Map<String, Object> row = this.jdbc
			.queryForMap("select episode_id, recipient, attempts, subject, body from mail_outbox where id = ?", id);
		Number episode = (Number) row.get("episode_id");
		String recipient = (String) row.get("recipient");
		int attempts = ((Number) row.get("attempts")).intValue();
		String subject = null;
		try {
			MimeMessage message = sender.createMimeMessage();
			MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
			helper.setFrom(this.properties.from());
			helper.setTo(recipient);
			if (episode != null && row.get("body") == null) {
				LimitMail.Content content = this.mails.write(episode.longValue());
				subject = content.subject();
				helper.setText(content.text(), content.html());
			}
			else {
				// A mail written when it was queued (a licence request, an expiry
				// notice, a forecast notice).
				subject = (String) row.get("subject");
				helper.setText((String) row.get("body"));
			}
			helper.setSubject(subject);
			sender.send(message);
		}
		catch (Exception ex) {
			String answer = answerOf(ex);
			Instant now = Instant.now();
			this.jdbc.update("insert into mail_attempt (outbox_id, attempted_at, node, error) values (?, ?, ?, ?)", id,
					Timestamp.from(now), this.node, answer);
			this.jdbc.update(
					"update mail_outbox set attempts = attempts + 1, next_attempt_at = ?, last_error = ?, "
							+ "claimed_by = null, claimed_until = null where id = ? and claimed_by = ?",
					Timestamp.from(now.plus(this.properties.retryAfter(attempts + 1))), answer, id, claim);
			logger.info("Mail {} to {} not accepted (attempt {}): {}", id, recipient, attempts + 1, answer);
			return false;
		}
		this.jdbc.update(
				"update mail_outbox set sent_at = ?, subject = ?, attempts = attempts + 1, "
						+ "claimed_until = null where id = ? and claimed_by = ?",
				Timestamp.from(Instant.now()), truncate(subject, 500), id, claim);
		return true;
	}

	@PreDestroy
	void stop() {
		this.wakeUps.shutdownNow();
	}

	/**
	 * What the mail server (or the mail library) answered, every cause in one line.
	 */
	static String answerOf(Throwable failure) {
		StringBuilder answer = new StringBuilder();
		for (Throwable cause = failure; cause != null && answer.length() < 2000; cause = cause.getCause()) {
			if (cause.getMessage() != null && answer.indexOf(cause.getMessage()) < 0) {
				if (!answer.isEmpty()) {
					answer.append(" / ");
				}
				answer.append(cause.getMessage().replaceAll("\\s+", " ").strip());
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return truncate(answer.isEmpty() ? failure.getClass().getSimpleName() : answer.toString(), 2000);
	}

	private static String truncate(String text, int max) {
		return (text == null || text.length() <= max) ? text : text.substring(0, max);
	}

}
