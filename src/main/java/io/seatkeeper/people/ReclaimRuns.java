package io.seatkeeper.people;

import java.net.InetAddress;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import io.seatkeeper.license.Pool;
import io.seatkeeper.people.ProfileEvents.ProfilesReclaimed;
import io.seatkeeper.people.ProfileEvents.ReclaimRunHeld;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The reclaim job (R19), off unless {@code seatkeeper.reclaim.block-after} is set: it
 * blocks active profiles that have not signed in for that long (or never signed in and
 * were created that long ago) with the reason {@link BlockReason#DORMANT}. It never
 * blocks the built-in administrator, sysadmins, or profiles marked "never reclaim".
 * <p>
 * <b>Once a day across nodes.</b> A run starts by inserting the day's row of
 * {@code reclaim_run} (unique by day): on every other node, and on a second start the
 * same day, the insert fails and nothing runs.
 * <p>
 * <b>Share limit.</b> Like the directory's safety rule, a run that would block more than
 * {@code max-share} per cent of a pool's active profiles blocks nobody: it is held, and a
 * sysadmin confirms it on the reclaim page (then it blocks them all).
 * <p>
 * The blocks go through {@link ProfileLedger} in chunks, each in a short transaction of
 * its own (profile rows locked in id order first, the pools last, in their order). At the
 * end one fact per run ({@link ProfilesReclaimed}, or {@link ReclaimRunHeld}) is audited
 * and mailed to the responsible person as one digest.
 */
@Service
public class ReclaimRuns {

	/** Who the audit log names for the job's blocks. */
	public static final String ACTOR = "reclaim";

	private static final Logger logger = LoggerFactory.getLogger(ReclaimRuns.class);

	private static final int CHUNK = 500;

	private static final String CANDIDATE = "p.state = 'ACTIVE' and p.built_in = false and p.sysadmin = false "
			+ "and p.never_reclaim = false and (p.last_sign_in_at < ? or (p.last_sign_in_at is null and p.created_at < ?))";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final Profiles profiles;

	private final ProfileLedger ledger;

	private final ReclaimProperties properties;

	private final ApplicationEventPublisher events;

	private final String node;

	ReclaimRuns(DataSource dataSource, TransactionTemplate transactions, Profiles profiles, ProfileLedger ledger,
			ReclaimProperties properties, ApplicationEventPublisher events) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = transactions;
		this.profiles = profiles;
		this.ledger = ledger;
		this.properties = properties;
		this.events = events;
		this.node = nodeName();
	}

	/**
	 * The settings the job runs with.
	 */
	public ReclaimProperties settings() {
		return this.properties;
	}

	/**
	 * Runs the day's reclaim, unless it is off or this day's run already started (on any
	 * node).
	 * @param trigger what started it ({@code schedule}, or a test's name)
	 * @return the run, or empty when it did not run
	 */
	public Optional<RunView> runToday(String trigger) {
		if (!this.properties.enabled()) {
			return Optional.empty();
		}
		Instant now = Instant.now();
		Timestamp cutoff = Timestamp.from(now.minus(this.properties.blockAfter()));
		Long id;
		try {
			id = this.transactions.execute((status) -> {
				this.jdbc.update(
						"insert into reclaim_run (run_day, node, trigger_name, state, started_at, cutoff) "
								+ "values (?, ?, ?, 'RUNNING', ?, ?)",
						LocalDate.ofInstant(now, ZoneOffset.UTC), this.node, trigger, Timestamp.from(now), cutoff);
				return this.jdbc.queryForObject("select id from reclaim_run where run_day = ?", Long.class,
						LocalDate.ofInstant(now, ZoneOffset.UTC));
			});
		}
		catch (DataIntegrityViolationException ex) {
			logger.info("Reclaim run of {} skipped: it already ran", LocalDate.ofInstant(now, ZoneOffset.UTC));
			return Optional.empty();
		}
		try {
			Map<Pool, Integer> candidates = candidates(cutoff);
			Map<Pool, Integer> allowed = new EnumMap<>(Pool.class);
			boolean held = false;
			for (Pool pool : Pool.values()) {
				int active = this.jdbc.queryForObject(
						"select count(*) from profile where pool = ? and state = 'ACTIVE' and built_in = false",
						Integer.class, pool.name());
				allowed.put(pool, this.properties.allowed(active));
				held |= candidates.get(pool) > allowed.get(pool);
			}
			this.transactions.executeWithoutResult((status) -> this.jdbc.update(
					"update reclaim_run set candidates_primary = ?, candidates_extranet = ?, allowed_primary = ?, "
							+ "allowed_extranet = ? where id = ?",
					candidates.get(Pool.PRIMARY), candidates.get(Pool.EXTRANET), allowed.get(Pool.PRIMARY),
					allowed.get(Pool.EXTRANET), id));
			if (held) {
				this.transactions.executeWithoutResult((status) -> {
					this.jdbc.update("update reclaim_run set state = 'HELD', finished_at = ? where id = ?",
							Timestamp.from(Instant.now()), id);
					this.events.publishEvent(
							new ReclaimRunHeld(id, candidates.get(Pool.PRIMARY), candidates.get(Pool.EXTRANET),
									allowed.get(Pool.PRIMARY), allowed.get(Pool.EXTRANET), ACTOR));
				});
				logger.info("Reclaim run {} held: it would block {} (allowed {})", id, candidates, allowed);
				return find(id);
			}
			reclaim(id, cutoff, null);
		}
		catch (RuntimeException ex) {
			logger.warn("Reclaim run {} failed: {}", id, ex.getMessage(), ex);
			this.transactions.executeWithoutResult((status) -> this.jdbc.update(
					"update reclaim_run set state = 'FAILED', finished_at = ?, detail = ? where id = ?",
					Timestamp.from(Instant.now()), truncate(String.valueOf(ex.getMessage()), 500), id));
		}
		return find(id);
	}

	/**
	 * A sysadmin confirms a held run: it blocks every profile that is dormant by the
	 * run's own cutoff and may be blocked, whatever the share.
	 * @throws ReclaimRunNotHeld if there is no such run, or it is not held (any more)
	 */
	public RunView confirm(long runId, String actor) {
		Timestamp cutoff = this.transactions.execute((status) -> {
			int claimed = this.jdbc
				.update("update reclaim_run set state = 'CONFIRMED', confirmed_by = ?, confirmed_at = ? "
						+ "where id = ? and state = 'HELD'", actor, Timestamp.from(Instant.now()), runId);
			if (claimed != 1) {
				throw new ReclaimRunNotHeld(runId);
			}
			return this.jdbc.queryForObject("select cutoff from reclaim_run where id = ?", Timestamp.class, runId);
		});
		try {
			reclaim(runId, cutoff, actor);
		}
		catch (RuntimeException ex) {
			logger.warn("Confirmed reclaim run {} failed: {}", runId, ex.getMessage(), ex);
			this.transactions.executeWithoutResult((status) -> this.jdbc.update(
					"update reclaim_run set state = 'FAILED', finished_at = ?, detail = ? where id = ?",
					Timestamp.from(Instant.now()), truncate(String.valueOf(ex.getMessage()), 500), runId));
		}
		return find(runId).orElseThrow(() -> new ReclaimRunNotHeld(runId));
	}

	/**
	 * The latest runs, newest first.
	 */
	public List<RunView> recent(int limit) {
		return this.jdbc.query("select * from reclaim_run order by run_day desc, id desc fetch first ? rows only",
				ReclaimRuns::view, limit);
	}

	/**
	 * One run.
	 */
	public Optional<RunView> find(long runId) {
		return this.jdbc.query("select * from reclaim_run where id = ?", ReclaimRuns::view, runId).stream().findFirst();
	}

	private Map<Pool, Integer> candidates(Timestamp cutoff) {
		Map<Pool, Integer> candidates = new EnumMap<>(Pool.class);
		for (Pool pool : Pool.values()) {
			candidates.put(pool,
					this.jdbc.queryForObject("select count(*) from profile p where p.pool = ? and " + CANDIDATE,
							Integer.class, pool.name(), cutoff, cutoff));
		}
		return candidates;
	}

	/**
	 * Blocks the run's candidates, a chunk per transaction, then closes the run with its
	 * one fact.
	 */
	private void reclaim(long runId, Timestamp cutoff, String confirmedBy) {
		Map<Pool, Integer> reclaimed = new EnumMap<>(Pool.class);
		Instant before = cutoff.toInstant();
		long after = 0;
		List<Long> chunk;
		do {
			chunk = this.jdbc.queryForList("select p.id from profile p where p.id > ? and " + CANDIDATE
					+ " order by p.id fetch first " + CHUNK + " rows only", Long.class, after, cutoff, cutoff);
			if (chunk.isEmpty()) {
				break;
			}
			after = chunk.get(chunk.size() - 1);
			List<Long> ids = chunk;
			BulkBlock done = this.transactions.execute((status) -> {
				// Locked and looked at again: a profile that signed in, became a
				// sysadmin or was marked meanwhile is left alone.
				List<Profile> still = new ArrayList<>();
				for (Profile profile : this.profiles.lockProfiles(ids)) {
					if (reclaimable(profile, before)) {
						still.add(profile);
					}
				}
				return this.ledger.blockAll(still, BlockReason.DORMANT, ACTOR);
			});
			reclaimed.merge(Pool.PRIMARY, done.freedPrimary(), Integer::sum);
			reclaimed.merge(Pool.EXTRANET, done.freedExtranet(), Integer::sum);
		}
		while (chunk.size() == CHUNK);
		int primary = reclaimed.getOrDefault(Pool.PRIMARY, 0);
		int extranet = reclaimed.getOrDefault(Pool.EXTRANET, 0);
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.update(
					"update reclaim_run set state = 'DONE', finished_at = ?, reclaimed_primary = ?, "
							+ "reclaimed_extranet = ? where id = ?",
					Timestamp.from(Instant.now()), primary, extranet, runId);
			if (primary + extranet > 0) {
				this.events.publishEvent(new ProfilesReclaimed(runId, primary, extranet, confirmedBy,
						(confirmedBy != null) ? confirmedBy : ACTOR));
			}
		});
		logger.info("Reclaim run {}: {} Primary and {} Extranet profiles blocked as dormant", runId, primary, extranet);
	}

	private static boolean reclaimable(Profile profile, Instant cutoff) {
		if (!profile.isActive() || profile.isBuiltIn() || profile.isSysadmin() || profile.isNeverReclaim()) {
			return false;
		}
		Instant last = profile.lastSignInAt();
		return (last != null) ? last.isBefore(cutoff) : profile.createdAt().isBefore(cutoff);
	}

	private static RunView view(ResultSet rs, int row) throws SQLException {
		return new RunView(rs.getLong("id"), rs.getDate("run_day").toLocalDate(), rs.getString("node"),
				rs.getString("trigger_name"), rs.getString("state"), instant(rs.getTimestamp("started_at")),
				instant(rs.getTimestamp("finished_at")), instant(rs.getTimestamp("cutoff")),
				rs.getInt("candidates_primary"), rs.getInt("candidates_extranet"), rs.getInt("allowed_primary"),
				rs.getInt("allowed_extranet"), rs.getInt("reclaimed_primary"), rs.getInt("reclaimed_extranet"),
				rs.getString("confirmed_by"), instant(rs.getTimestamp("confirmed_at")), rs.getString("detail"));
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private static String truncate(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max);
	}

	private static String nodeName() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			host = "node";
		}
		String name = host + "-" + UUID.randomUUID().toString().substring(0, 8);
		return (name.length() <= 64) ? name : name.substring(name.length() - 64);
	}

	/**
	 * One reclaim run, as the reclaim page shows it.
	 *
	 * @param state {@code RUNNING}, {@code DONE}, {@code HELD} (waits for a sysadmin),
	 * {@code CONFIRMED} (confirmed, blocking) or {@code FAILED}
	 * @param cutoff profiles with no sign-in since then are its candidates
	 * @param candidatesPrimary the Primary pool's candidates when it started
	 * @param allowedPrimary the most it could block there unconfirmed
	 * @param reclaimedPrimary how many it blocked there
	 */
	public record RunView(long id, LocalDate day, String node, String trigger, String state, Instant startedAt,
			Instant finishedAt, Instant cutoff, int candidatesPrimary, int candidatesExtranet, int allowedPrimary,
			int allowedExtranet, int reclaimedPrimary, int reclaimedExtranet, String confirmedBy, Instant confirmedAt,
			String detail) {

		/**
		 * Whether it waits for a sysadmin's confirmation.
		 */
		public boolean held() {
			return "HELD".equals(this.state);
		}

	}

}
