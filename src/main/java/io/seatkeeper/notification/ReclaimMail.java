package io.seatkeeper.notification;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;

import io.seatkeeper.people.ProfileEvents.ProfilesReclaimed;
import io.seatkeeper.people.ProfileEvents.ReclaimRunHeld;
import io.seatkeeper.people.ReclaimProperties;

import org.springframework.context.MessageSource;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The reclaim job's one digest mail per run to the responsible person (R19): how many
 * profiles it blocked as dormant per pool, or that a run waits for a sysadmin's
 * confirmation. Queued in the outbox in the transaction that closes the run.
 * <p>
 * Plain {@code @EventListener}s, not the registry's after-commit listeners: the outbox
 * row commits with the run's outcome, and is itself the durable record that the sender
 * works from.
 */
@Component
class ReclaimMail {

	static final String TOPIC = "RECLAIM";

	private final JdbcTemplate jdbc;

	private final MessageSource messages;

	private final NotificationMailProperties properties;

	private final ResponsiblePerson responsiblePerson;

	private final MailOutbox outbox;

	private final ReclaimProperties reclaim;

	ReclaimMail(JdbcTemplate jdbc, MessageSource messages, NotificationMailProperties properties,
			ResponsiblePerson responsiblePerson, MailOutbox outbox, ReclaimProperties reclaim) {
		this.jdbc = jdbc;
		this.messages = messages;
		this.properties = properties;
		this.responsiblePerson = responsiblePerson;
		this.outbox = outbox;
		this.reclaim = reclaim;
	}

	@EventListener
	@Transactional
	void on(ProfilesReclaimed event) {
		String to = this.responsiblePerson.address();
		if (to == null) {
			return;
		}
		String site = this.properties.siteName();
		String confirmed = (event.confirmedBy() != null) ? message("mail.reclaim.confirmed", event.confirmedBy()) : "";
		queue(to, message("mail.reclaim.subject", site, event.primary(), event.extranet()),
				message("mail.reclaim.body", site, event.primary(), event.extranet(), confirmed,
						this.properties.baseUrl(), this.reclaim.blockAfterDays()));
	}

	@EventListener
	@Transactional
	void on(ReclaimRunHeld event) {
		String to = this.responsiblePerson.address();
		if (to == null) {
			return;
		}
		String site = this.properties.siteName();
		queue(to, message("mail.reclaim.held.subject", site, event.candidatesPrimary(), event.candidatesExtranet()),
				message("mail.reclaim.held.body", site, event.candidatesPrimary(), event.candidatesExtranet(),
						event.allowedPrimary(), event.allowedExtranet(), this.reclaim.maxShare(),
						this.properties.baseUrl()));
	}

	private void queue(String recipient, String subject, String body) {
		Timestamp now = Timestamp.from(Instant.now());
		this.jdbc.update(
				"insert into mail_outbox (topic, recipient, subject, body, queued_at, next_attempt_at, attempts) "
						+ "values (?, ?, ?, ?, ?, ?, 0)",
				TOPIC, recipient, truncate(subject.replaceAll("[\\r\\n\\t]", " "), 500), truncate(body, 8000), now,
				now);
		// Only a nudge to send at once: a wake-up lost with the node is made up by the
		// next poll.
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				ReclaimMail.this.outbox.wake();
			}
		});
	}

	private String message(String code, Object... arguments) {
		return this.messages.getMessage(code, arguments, Locale.ENGLISH);
	}

	private static String truncate(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max);
	}

}
