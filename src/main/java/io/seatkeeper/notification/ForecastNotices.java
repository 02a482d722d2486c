package io.seatkeeper.notification;

import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import io.seatkeeper.license.Forecast;
import io.seatkeeper.license.LicenseService;
import io.seatkeeper.license.Pool;
import io.seatkeeper.license.UsageForecast;
import io.seatkeeper.notification.NotificationEvents.LimitEpisodeClosed;
import io.seatkeeper.notification.NotificationEvents.LimitMailQueued;
import io.seatkeeper.scheduling.ScheduledJobs;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The forecast notice (R20), off unless {@code seatkeeper.forecast.notice-within} is set:
 * when a pool's forecast says it is full within that many days, the responsible person
 * gets one mail; the episode ends when the forecast moves out of the window again (the
 * trend flattens, or the day moves further away), and only then can another notice come.
 * <p>
 * The episodes are those of the limit mails (a {@code FORECAST} watch row per pool):
 * every node checks on a schedule, and the watch row is locked before an episode opens or
 * closes, so that however many nodes check at once, one mail is queued per episode. The
 * mail is written when it is queued, with the forecast that opened the episode.
 */
@Component
class ForecastNotices {

	static final String FORECAST = "FORECAST";

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);

	private final JdbcTemplate jdbc;

	private final UsageForecast forecasts;

	private final LicenseService licenses;

	private final ResponsiblePerson responsiblePerson;

	private final ForecastNoticeProperties properties;

	private final NotificationMailProperties mail;

	private final MessageSource messages;

	private final MailOutbox outbox;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transactions;

	private final ScheduledJobs jobs;

	ForecastNotices(JdbcTemplate jdbc, UsageForecast forecasts, LicenseService licenses,
			ResponsiblePerson responsiblePerson, ForecastNoticeProperties properties, NotificationMailProperties mail,
			MessageSource messages, MailOutbox outbox, ApplicationEventPublisher events,
			TransactionTemplate transactions, ScheduledJobs jobs) {
		this.jobs = jobs;
		this.jdbc = jdbc;
		this.forecasts = forecasts;
		this.licenses = licenses;
		this.responsiblePerson = responsiblePerson;
		this.properties = properties;
		this.mail = mail;
		this.messages = messages;
		this.outbox = outbox;
		this.events = events;
		this.transactions = transactions;
	}

	@Scheduled(initialDelayString = "${seatkeeper.forecast.check-interval:1h}",
			fixedDelayString = "${seatkeeper.forecast.check-interval:1h}")
	void checkOnSchedule() {
		if (this.properties.enabled()) {
			this.jobs.runOnce("forecast-check", "${seatkeeper.forecast.check-interval:1h}", () -> {
				if (this.licenses.initialised()) {
					check();
				}
			});
		}
	}

	/**
	 * Checks every pool's forecast, each pool in a transaction of its own; returns how
	 * many notices were queued.
	 */
	int check() {
		int queued = 0;
		for (Pool pool : Pool.values()) {
			if (Boolean.TRUE.equals(this.transactions.execute((status) -> check(pool)))) {
				queued++;
			}
		}
		return queued;
	}

	private boolean check(Pool pool) {
		Forecast forecast = this.forecasts.forecast(pool);
		Long days = forecast.daysUntilFull();
		if (days != null && days <= this.properties.noticeWithin().toDays()) {
			return open(forecast);
		}
		close(pool);
		return false;
	}

	private boolean open(Forecast forecast) {
		String recipient = this.responsiblePerson.address();
		if (recipient == null) {
			// Nobody would be told: nothing is queued, and the License page says so.
			return false;
		}
		Pool pool = forecast.pool();
		Long open = lockWatch(pool);
		Timestamp now = Timestamp.from(Instant.now());
		if (open != null) {
			this.jdbc.update("update notification_episode set events = events + 1, last_event_at = ? where id = ?", now,
					open);
			return false;
		}
		long episode = insert(
				"insert into notification_episode (pool, kind, opened_by, opened_at, refused_attempts, events, "
						+ "last_event_at) values (?, ?, ?, ?, 0, 1, ?)",
				pool.name(), FORECAST, "TREND", now, now);
		this.jdbc.update("update notification_watch set open_episode_id = ? where pool = ? and kind = ?", episode,
				pool.name(), FORECAST);
		String site = this.mail.siteName();
		String day = DAY.format(forecast.fullOn());
		String subject = message("mail.forecast.subject", site, pool.label(), day);
		String body = message("mail.forecast.body", site, pool.label(), day, forecast.daysUntilFull(),
				String.format(Locale.ROOT, "%.2f", forecast.perDay()), forecast.basisDays(), forecast.max(),
				this.licenses.usage(pool).active(), this.properties.noticeWithin().toDays(), this.mail.baseUrl());
		long mail = insert(
				"insert into mail_outbox (episode_id, topic, recipient, subject, body, queued_at, next_attempt_at, "
						+ "attempts) values (?, ?, ?, ?, ?, ?, ?, 0)",
				episode, FORECAST, recipient, truncate(subject.replaceAll("[\\r\\n\\t]", " "), 500),
				truncate(body, 8000), now, now);
		this.events.publishEvent(new LimitMailQueued(mail, episode, pool, FORECAST, "TREND", recipient, "system"));
		// Only a nudge to send at once: a wake-up lost with the node is made up by the
		// next poll.
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				ForecastNotices.this.outbox.wake();
			}
		});
		return true;
	}

	private void close(Pool pool) {
		Long open = this.jdbc.queryForObject(
				"select open_episode_id from notification_watch where pool = ? and kind = ?", Long.class, pool.name(),
				FORECAST);
		if (open == null) {
			return;
		}
		open = lockWatch(pool);
		if (open == null) {
			return;
		}
		this.jdbc.update("update notification_episode set closed_at = ? where id = ?", Timestamp.from(Instant.now()),
				open);
		this.jdbc.update("update notification_watch set open_episode_id = null where pool = ? and kind = ?",
				pool.name(), FORECAST);
		this.events.publishEvent(new LimitEpisodeClosed(open, pool, FORECAST, 0));
	}

	private Long lockWatch(Pool pool) {
		List<Long> open = this.jdbc.queryForList(
				"select open_episode_id from notification_watch where pool = ? and kind = ? for update", Long.class,
				pool.name(), FORECAST);
		return open.isEmpty() ? null : open.get(0);
	}

	private long insert(String sql, Object... args) {
		KeyHolder keys = new GeneratedKeyHolder();
		this.jdbc.update((connection) -> {
			PreparedStatement statement = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
			for (int i = 0; i < args.length; i++) {
				statement.setObject(i + 1, args[i]);
			}
			return statement;
		}, keys);
		// PostgreSQL returns every column, H2 the identity: the map ignores case.
		return ((Number) keys.getKeys().get("id")).longValue();
	}

	private String message(String code, Object... arguments) {
		return this.messages.getMessage(code, arguments, Locale.ENGLISH);
	}

	private static String truncate(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max);
	}

}
