package io.seatkeeper.notification;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Objects;

import io.seatkeeper.notification.NotificationEvents.ResponsiblePersonChanged;
import io.seatkeeper.notification.NotificationEvents.TestMailSent;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The responsible person (R13): the one address, often a group address, that the
 * licence-limit mails go to. A change takes effect at once: the next mail queued goes to
 * the new address.
 */
@Service
public class ResponsiblePerson {

	static final int MAX_LENGTH = 320;

	private final JdbcTemplate jdbc;

	private final ApplicationEventPublisher events;

	private final ObjectProvider<JavaMailSender> mailSenders;

	private final NotificationMailProperties properties;

	ResponsiblePerson(JdbcTemplate jdbc, ApplicationEventPublisher events, ObjectProvider<JavaMailSender> mailSenders,
			NotificationMailProperties properties) {
		this.jdbc = jdbc;
		this.events = events;
		this.mailSenders = mailSenders;
		this.properties = properties;
	}

	/**
	 * The address, or {@code null} when nobody is set.
	 */
	@Transactional(readOnly = true)
	public String address() {
		return this.jdbc.queryForObject("select email from responsible_person where id = 1", String.class);
	}

	/**
	 * Sets the address; blank removes it.
	 * @throws InvalidResponsiblePerson if it is not exactly one valid e-mail address, or
	 * holds a line break or another control character
	 */
	@Transactional
	public String change(String address, String actor) {
		String normalized = validate(address);
		String old = this.jdbc.queryForObject("select email from responsible_person where id = 1 for update",
				String.class);
		if (Objects.equals(old, normalized)) {
			return normalized;
		}
		this.jdbc.update("update responsible_person set email = ?, updated_at = ?, updated_by = ? where id = 1",
				normalized, Timestamp.from(Instant.now()), actor);
		this.events.publishEvent(new ResponsiblePersonChanged(old, normalized, actor));
		return normalized;
	}

	/**
	 * Whether a mail server is configured ({@code spring.mail.host}).
	 */
	public boolean mailConfigured() {
		return this.mailSenders.getIfAvailable() != null;
	}

	/**
	 * Sends a sample mail to the responsible person now, outside the outbox, and says
	 * whether the mail server accepted it.
	 */
	public TestMailSent sendTestMail(String actor) {
		String to = address();
		JavaMailSender sender = this.mailSenders.getIfAvailable();
		TestMailSent result;
		if (to == null || sender == null) {
			result = new TestMailSent(to, false, (to == null) ? "no responsible person" : "mail is not configured",
					actor);
		}
		else {
			try {
				MimeMessage message = sender.createMimeMessage();
				MimeMessageHelper helper = new MimeMessageHelper(message, false, "UTF-8");
				helper.setFrom(this.properties.from());
				helper.setTo(to);
				helper.setSubject("[" + this.properties.siteName() + "] Test mail from Seatkeeper");
				helper.setText("This is a test. Licence-limit mails of " + this.properties.siteName()
						+ " will reach this address.\n" + this.properties.baseUrl() + "/admin/system/license\n");
				sender.send(message);
				result = new TestMailSent(to, true, "accepted", actor);
			}
			catch (MailException | MessagingException ex) {
				result = new TestMailSent(to, false, MailOutbox.answerOf(ex), actor);
			}
		}
		this.events.publishEvent(result);
		return result;
	}

	static String validate(String address) {
		if (address == null || address.isBlank()) {
			return null;
		}
		if (address.chars().anyMatch((c) -> c == '\r' || c == '\n' || Character.isISOControl(c))) {
			throw new InvalidResponsiblePerson("responsible.invalid.lineBreak");
		}
		String trimmed = address.strip();
		if (trimmed.length() > MAX_LENGTH) {
			throw new InvalidResponsiblePerson("responsible.invalid.tooLong");
		}
		if (trimmed.contains(",") || trimmed.contains(";") || trimmed.contains(" ")) {
			throw new InvalidResponsiblePerson("responsible.invalid.one");
		}
		try {
			InternetAddress parsed = new InternetAddress(trimmed, true);
			parsed.validate();
			String plain = parsed.getAddress();
			int at = plain.indexOf('@');
			if (!plain.equals(trimmed) || at < 1 || at == plain.length() - 1) {
				throw new InvalidResponsiblePerson("responsible.invalid.address");
			}
			return plain;
		}
		catch (AddressException ex) {
			throw new InvalidResponsiblePerson("responsible.invalid.address");
		}
	}

}
