package io.seatkeeper.notification;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;

import io.seatkeeper.license.LicenseEvents.LicenseExpiring;
import io.seatkeeper.license.LicenseEvents.LicenseRequestFiled;
import io.seatkeeper.license.Pool;

import org.springframework.context.MessageSource;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The mails about the licence itself (R14): a licence request to the vendor, and the
 * notice to the responsible person that the key expires soon. Queued in the outbox in the
 * transaction of the event, written when queued.
 * <p>
 * Plain {@code @EventListener}s, not the registry's after-commit listeners: the outbox
 * row commits with the request or the expiry notice, and is itself the durable record
 * that the sender works from.
 */
@Component
class LicenseMail {

	static final String REQUEST = "LICENSE_REQUEST";

	static final String EXPIRY = "LICENSE_EXPIRY";

	private final JdbcTemplate jdbc;

	private final MessageSource messages;

	private final NotificationMailProperties properties;

	private final ResponsiblePerson responsiblePerson;

	private final MailOutbox outbox;

	LicenseMail(JdbcTemplate jdbc, MessageSource messages, NotificationMailProperties properties,
			ResponsiblePerson responsiblePerson, MailOutbox outbox) {
		this.jdbc = jdbc;
		this.messages = messages;
		this.properties = properties;
		this.responsiblePerson = responsiblePerson;
		this.outbox = outbox;
	}

	@EventListener
	@Transactional
	void on(LicenseRequestFiled event) {
		if (event.vendorEmail() == null) {
			return;
		}
		String what = (event.from() == null) ? message("mail.request.add", event.amount(), event.to().label())
				: message("mail.request.move", event.amount(), event.from().label(), event.to().label());
		String licensee = (event.licensee() != null) ? event.licensee() : message("mail.request.evaluation");
		String subject = message("mail.request.subject", this.properties.siteName(), event.reference(), licensee);
		String body = message("mail.request.body", this.properties.siteName(), licensee, event.reference(), what,
				(event.comment() != null) ? event.comment() : "-", Pool.PRIMARY.label(), event.maxUsers(),
				event.activeUsers(), Pool.EXTRANET.label(), event.maxExtranetUsers(), event.activeExtranet(),
				event.actor(), this.properties.baseUrl());
		queue(REQUEST, event.vendorEmail(), subject, body);
	}

	@EventListener
	@Transactional
	void on(LicenseExpiring event) {
		String to = this.responsiblePerson.address();
		if (to == null) {
			return;
		}
		String subject = message("mail.expiry.subject", this.properties.siteName(), event.expires().toString());
		String body = message("mail.expiry.body", this.properties.siteName(), event.expires().toString(),
				event.daysLeft(), String.valueOf(event.serial()), this.properties.baseUrl());
		queue(EXPIRY, to, subject, body);
	}

	private void queue(String topic, String recipient, String subject, String body) {
		Timestamp now = Timestamp.from(Instant.now());
		this.jdbc.update(
				"insert into mail_outbox (topic, recipient, subject, body, queued_at, next_attempt_at, attempts) "
						+ "values (?, ?, ?, ?, ?, ?, 0)",
				topic, recipient, truncate(subject, 500), truncate(body, 8000), now, now);
		// Only a nudge to send at once: a wake-up lost with the node is made up by the
		// next
		// poll.
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				LicenseMail.this.outbox.wake();
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
