package io.seatkeeper.notification;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The outbox as the console shows it.
 */
@Component
class OutboxView {

	static final int SHOWN = 100;

	private final JdbcTemplate jdbc;

	OutboxView(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Transactional(readOnly = true)
	List<Mail> mails() {
		return this.jdbc.query(
				"select m.id, coalesce(e.pool, m.topic) as pool, coalesce(e.kind, m.topic) as kind, m.recipient, "
						+ "m.queued_at, m.next_attempt_at, m.sent_at, m.attempts, m.subject, m.last_error, "
						+ "coalesce(e.refused_attempts, 0) as refused_attempts from mail_outbox m "
						+ "left join notification_episode e on e.id = m.episode_id order by m.id desc fetch first "
						+ SHOWN + " rows only",
				(rs, i) -> new Mail(rs.getLong("id"), rs.getString("pool"), rs.getString("kind"),
						rs.getString("recipient"), instant(rs.getTimestamp("queued_at")),
						instant(rs.getTimestamp("next_attempt_at")), instant(rs.getTimestamp("sent_at")),
						rs.getInt("attempts"), rs.getString("subject"), rs.getString("last_error"),
						rs.getInt("refused_attempts")));
	}

	@Transactional(readOnly = true)
	List<Failure> failures() {
		return this.jdbc.query(
				"select outbox_id, attempted_at, node, error from mail_attempt order by id desc fetch first " + SHOWN
						+ " rows only",
				(rs, i) -> new Failure(rs.getLong("outbox_id"), instant(rs.getTimestamp("attempted_at")),
						rs.getString("node"), rs.getString("error")));
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	record Mail(long id, String pool, String kind, String recipient, Instant queuedAt, Instant nextAttemptAt,
			Instant sentAt, int attempts, String subject, String lastError, int refused) {

		public boolean sent() {
			return this.sentAt != null;
		}

	}

	record Failure(long outboxId, Instant attemptedAt, String node, String error) {
	}

}
