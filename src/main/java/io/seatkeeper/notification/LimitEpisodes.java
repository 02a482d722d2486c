package io.seatkeeper.notification;

import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import io.seatkeeper.license.LicenseLimitReached;
import io.seatkeeper.license.LicenseService;
import io.seatkeeper.license.Pool;
import io.seatkeeper.license.PoolUsage;
import io.seatkeeper.notification.NotificationEvents.LimitEpisodeClosed;
import io.seatkeeper.notification.NotificationEvents.LimitMailQueued;
import io.seatkeeper.people.ProfileEvents.LicensesFreed;
import io.seatkeeper.people.ProfileEvents.LicensesTaken;
import io.seatkeeper.people.ProfileEvents.ProfilesQueued;
import io.seatkeeper.scheduling.ScheduledJobs;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The episodes of each pool. The first limit event of a pool opens an episode and queues
 * its one mail in the outbox; later events of the episode only count. The episode closes
 * when the pool has a free licence again, which is checked in the transaction that frees
 * one (a profile blocked, deleted or moved out: {@code LicensesFreed}) and on a schedule
 * (a larger maximum). The people module's writer publishes the same pool facts
 * ({@code LicensesTaken}, {@code LicensesFreed}, {@code ProfilesQueued}) for one profile
 * and for a batch, so a CSV upload, a directory sync or a SCIM client opens an episode or
 * crosses the early warning's threshold as a single add does; the scheduled check warns a
 * pool that crossed it because its maximum shrank.
 * <p>
 * Every listener runs inside the transaction that published the event, so that the
 * episode and the outbox row commit exactly when the event does. The pool's watch row is
 * locked first, so that two nodes never open two episodes of one pool.
 * <p>
 * Plain {@code @EventListener}s, not the registry's after-commit listeners: the outbox
 * row is itself the durable record of the mail to send, and closing an episode must see
 * the counter that the publishing transaction just lowered.
 */
@Component
class LimitEpisodes {

	static final String LIMIT = "LIMIT";

	static final String WARNING = "WARNING";

	private final JdbcTemplate jdbc;

	private final LicenseService licenses;

	private final ResponsiblePerson responsiblePerson;

	private final EarlyWarningProperties earlyWarning;

	private final MailOutbox outbox;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transactions;

	private final ScheduledJobs jobs;

	LimitEpisodes(JdbcTemplate jdbc, LicenseService licenses, ResponsiblePerson responsiblePerson,
			EarlyWarningProperties earlyWarning, MailOutbox outbox, ApplicationEventPublisher events,
			TransactionTemplate transactions, ScheduledJobs jobs) {
		this.jobs = jobs;
		this.jdbc = jdbc;
		this.licenses = licenses;
		this.responsiblePerson = responsiblePerson;
		this.earlyWarning = earlyWarning;
		this.outbox = outbox;
		this.events = events;
		this.transactions = transactions;
	}

	@EventListener
	@Transactional
	void on(LicenseLimitReached event) {
		// Pools in their declared order, so that two refusals never lock two watch rows
		// in opposite orders.
		for (PoolUsage usage : this.licenses.usage()) {
			if (usage.pool() == event.pool()) {
				limitEvent(event.pool(), "REFUSAL", 1, event.actor());
			}
			else if (usage.over()) {
				limitEvent(usage.pool(), "OVER", 0, "system");
			}
		}
	}

	@EventListener
	@Transactional
	void on(ProfilesQueued event) {
		limitEvent(event.pool(), "AWAITING", 0, event.actor());
	}

	@EventListener
	@Transactional
	void on(LicensesTaken event) {
		warnIfNearTheLimit(event.pool(), event.actor());
	}

	@EventListener
	@Transactional
	void on(LicensesFreed event) {
		closeIfFree(event.pool());
	}

	/**
	 * The scheduled check: a pool above its maximum (after its maximum shrank) is a limit
	 * event; a pool with a free licence again (after its maximum grew) ends its episode.
	 */
	@Scheduled(initialDelayString = "${seatkeeper.mail.pool-check-interval:1m}",
			fixedDelayString = "${seatkeeper.mail.pool-check-interval:1m}")
	void checkPoolsOnSchedule() {
		this.jobs.runOnce("pool-check", "${seatkeeper.mail.pool-check-interval:1m}", this::checkPools);
	}

	void checkPools() {
		if (!this.licenses.initialised()) {
			// The first start has not created the pools yet.
			return;
		}
		for (Pool pool : Pool.values()) {
			this.transactions.executeWithoutResult((status) -> {
				PoolUsage usage = this.licenses.usage(pool);
				if (usage.over()) {
					limitEvent(pool, "OVER", 0, "system");
				}
				else {
					closeIfFree(pool);
				}
				warnOnSchedule(usage);
			});
		}
	}

	private void limitEvent(Pool pool, String trigger, int refused, String actor) {
		count(pool, LIMIT, trigger, refused, actor);
	}

	private void warnIfNearTheLimit(Pool pool, String actor) {
		Integer threshold = this.earlyWarning.threshold(pool);
		if (threshold == null) {
			return;
		}
		PoolUsage usage = this.licenses.usage(pool);
		if ((long) usage.active() * 100 >= (long) threshold * usage.max()) {
			count(pool, WARNING, "THRESHOLD", 0, actor);
		}
	}

	/**
	 * A pool that crossed its threshold with no licence taken (its maximum shrank) is
	 * warned by the scheduled check; an open warning is left as it is, not counted again.
	 */
	private void warnOnSchedule(PoolUsage usage) {
		Integer threshold = this.earlyWarning.threshold(usage.pool());
		if (threshold == null || usage.active() == 0 || (long) usage.active() * 100 < (long) threshold * usage.max()) {
			return;
		}
		Long open = this.jdbc.queryForObject(
				"select open_episode_id from notification_watch where pool = ? and kind = ?", Long.class,
				usage.pool().name(), WARNING);
		if (open == null) {
			count(usage.pool(), WARNING, "THRESHOLD", 0, "system");
		}
	}

	private void count(Pool pool, String kind, String trigger, int refused, String actor) {
		String recipient = this.responsiblePerson.address();
		if (recipient == null) {
			// Nobody would be told: nothing is queued, and the License page says so.
			return;
		}
		Long open = lockWatch(pool, kind);
		Timestamp now = Timestamp.from(Instant.now());
		if (open != null) {
			this.jdbc.update("update notification_episode set refused_attempts = refused_attempts + ?, "
					+ "events = events + 1, last_event_at = ? where id = ?", refused, now, open);
			return;
		}
		long episode = insert(
				"insert into notification_episode (pool, kind, opened_by, opened_at, refused_attempts, "
						+ "events, last_event_at) values (?, ?, ?, ?, ?, 1, ?)",
				pool.name(), kind, trigger, now, refused, now);
		this.jdbc.update("update notification_watch set open_episode_id = ? where pool = ? and kind = ?", episode,
				pool.name(), kind);
		long mail = insert("insert into mail_outbox (episode_id, recipient, queued_at, next_attempt_at, attempts) "
				+ "values (?, ?, ?, ?, 0)", episode, recipient, now, now);
		this.events.publishEvent(new LimitMailQueued(mail, episode, pool, kind, trigger, recipient, actor));
		// Only a nudge to send at once: a wake-up lost with the node is made up by the
		// next
		// poll.
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				LimitEpisodes.this.outbox.wake();
			}
		});
	}

	private void closeIfFree(Pool pool) {
		Integer open = this.jdbc.queryForObject(
				"select count(*) from notification_watch where pool = ? and open_episode_id is not null", Integer.class,
				pool.name());
		if (open == 0) {
			// Nothing to close: a bulk block of many profiles costs one look-up each.
			return;
		}
		PoolUsage usage = this.licenses.usage(pool);
		if (usage.available() > 0) {
			close(pool, LIMIT);
		}
		Integer threshold = this.earlyWarning.threshold(pool);
		if (threshold == null || (long) usage.active() * 100 < (long) threshold * usage.max()) {
			close(pool, WARNING);
		}
	}

	private void close(Pool pool, String kind) {
		Long open = this.jdbc.queryForObject(
				"select open_episode_id from notification_watch where pool = ? and kind = ?", Long.class, pool.name(),
				kind);
		if (open == null) {
			return;
		}
		open = lockWatch(pool, kind);
		if (open == null) {
			return;
		}
		this.jdbc.update("update notification_episode set closed_at = ? where id = ?", Timestamp.from(Instant.now()),
				open);
		this.jdbc.update("update notification_watch set open_episode_id = null where pool = ? and kind = ?",
				pool.name(), kind);
		Integer refused = this.jdbc.queryForObject("select refused_attempts from notification_episode where id = ?",
				Integer.class, open);
		this.events.publishEvent(new LimitEpisodeClosed(open, pool, kind, refused));
	}

	private Long lockWatch(Pool pool, String kind) {
		List<Long> open = this.jdbc.queryForList(
				"select open_episode_id from notification_watch where pool = ? and kind = ? for update", Long.class,
				pool.name(), kind);
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

}
