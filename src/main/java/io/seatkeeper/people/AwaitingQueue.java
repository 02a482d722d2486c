package io.seatkeeper.people;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.OptionalInt;

import javax.sql.DataSource;

import io.seatkeeper.license.Pool;
import io.seatkeeper.people.ProfileLedger.Activation;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one queue of profiles awaiting a licence, per pool, whatever path they came by
 * (directory, SCIM, single sign-on, a dormant profile signing in again): first come,
 * first served by the moment each started to wait ({@code awaiting_since}, then id).
 * Activation takes the oldest first, through the gate, in short transactions of
 * {@code chunk} profiles; a people administrator may move a profile to the front or take
 * it out of the queue (blocked by an administrator), both audited.
 */
@Service
public class AwaitingQueue {

	private static final String AWAITING = "state = 'BLOCKED' and block_reason = 'AWAITING_LICENSE'";

	private final JdbcTemplate jdbc;

	private final Profiles profiles;

	private final ProfileLedger ledger;

	private final TransactionTemplate transactions;

	AwaitingQueue(DataSource dataSource, Profiles profiles, ProfileLedger ledger, TransactionTemplate transactions) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.profiles = profiles;
		this.ledger = ledger;
		this.transactions = transactions;
	}

	/**
	 * Activates the profiles that await a licence of the pool, oldest first, from every
	 * path, as far as the pool has free licences, {@code chunk} per transaction. Profiles
	 * blocked for another reason are left alone.
	 * @return how many it activated
	 */
	public int activate(Pool pool, int chunk, String actor) {
		int activated = 0;
		while (true) {
			Activation step = this.transactions
				.execute((status) -> this.ledger.activateQueue(pool, Math.max(1, chunk), actor));
			activated += step.activated();
			if (step.activated() < chunk || step.activated() < step.waiting()) {
				return activated;
			}
		}
	}

	/**
	 * How many profiles await a licence of the pool, from every path.
	 */
	public int countAwaiting(Pool pool) {
		return this.jdbc.queryForObject("select count(*) from profile where pool = ? and " + AWAITING, Integer.class,
				pool.name());
	}

	/**
	 * The profile's place in its pool's queue, from 1; empty unless it awaits a licence.
	 */
	public OptionalInt position(long id) {
		return this.jdbc
			.query("select pool, awaiting_since from profile where id = ? and " + AWAITING,
					(rs, n) -> positionOf(rs.getString(1), rs.getTimestamp(2), id), id)
			.stream()
			.mapToInt(Integer::intValue)
			.findFirst();
	}

	private int positionOf(String pool, Timestamp since, long id) {
		if (since == null) {
			return this.jdbc.queryForObject("select count(*) from profile where pool = ? and " + AWAITING,
					Integer.class, pool);
		}
		return this.jdbc.queryForObject(
				"select count(*) from profile where pool = ? and " + AWAITING
						+ " and (awaiting_since < ? or (awaiting_since = ? and id <= ?))",
				Integer.class, pool, since, since, id);
	}

	/**
	 * Moves a profile that awaits a licence to the front of its pool's queue: it is
	 * activated first when a licence is free. Audited.
	 * @throws ProfileNotFound if there is no such profile
	 * @throws NotAwaiting if it does not await a licence
	 */
	public ProfileView moveToFront(long id, String actor) {
		return this.transactions.execute((status) -> {
			Profile profile = this.profiles.lockProfile(id).orElseThrow(() -> new ProfileNotFound(id));
			if (!profile.standing().isAwaiting()) {
				throw new NotAwaiting(profile.username());
			}
			Timestamp oldest = this.jdbc.queryForObject(
					"select min(awaiting_since) from profile where pool = ? and " + AWAITING, Timestamp.class,
					profile.pool().name());
			Instant since = profile.standing().awaitingSince();
			if (oldest != null && (since == null || !since.isBefore(oldest.toInstant()))) {
				// Just before the oldest: its place, and nobody else's, changes.
				since = oldest.toInstant().minusMillis(1);
			}
			this.ledger.promote(profile, since, actor);
			return profile.view();
		});
	}

	/**
	 * Takes a profile out of the queue: it is blocked by an administrator (and so never
	 * activated by a sync, SCIM or the queue) until someone reinstates it. Audited.
	 * @throws ProfileNotFound if there is no such profile
	 * @throws NotAwaiting if it does not await a licence
	 */
	public ProfileView remove(long id, String actor) {
		return this.transactions.execute((status) -> {
			Profile profile = this.profiles.lockProfile(id).orElseThrow(() -> new ProfileNotFound(id));
			if (!profile.standing().isAwaiting()) {
				throw new NotAwaiting(profile.username());
			}
			this.ledger.dequeue(profile, actor);
			return profile.view();
		});
	}

}
