package io.seatkeeper.people;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntConsumer;

import javax.sql.DataSource;

import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.license.LicenseService;
import io.seatkeeper.license.Pool;
import io.seatkeeper.people.ProfileEvents.LicensesFreed;
import io.seatkeeper.people.ProfileEvents.LicensesTaken;
import io.seatkeeper.people.ProfileEvents.ProfileAttributesChanged;
import io.seatkeeper.people.ProfileEvents.ProfileBlocked;
import io.seatkeeper.people.ProfileEvents.ProfileCreated;
import io.seatkeeper.people.ProfileEvents.ProfileDeleted;
import io.seatkeeper.people.ProfileEvents.ProfileDeprovisioned;
import io.seatkeeper.people.ProfileEvents.ProfileDetailsChanged;
import io.seatkeeper.people.ProfileEvents.ProfileMoved;
import io.seatkeeper.people.ProfileEvents.ProfileQueueChanged;
import io.seatkeeper.people.ProfileEvents.ProfileReinstated;
import io.seatkeeper.people.ProfileEvents.ProfileRolesChanged;
import io.seatkeeper.people.ProfileEvents.ProfilesCreated;
import io.seatkeeper.people.ProfileEvents.ProfilesQueued;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one writer of the {@code profile} table's state, area and pool, and the only caller
 * of the licence gate for profiles. Callers ({@link PeopleService}, the CSV upload, the
 * directory sync, single sign-on) decide what should change; the ledger changes it
 * through the one state machine ({@link Standing}), passes the gate, and publishes the
 * same facts for every path, one profile or a batch.
 * <p>
 * <b>Lock protocol.</b> Every method runs in the caller's transaction and writes the
 * profile rows first, then locks the pools it needs (only those, in their declared order)
 * and takes or gives back their licences, as the last step before the commit. Bulk work
 * prepares its rows from an unlocked estimate of the free licences, so the pool's lock is
 * held for the gate's check and the commit, however many rows were written; when the
 * locked count grants fewer than the estimate (someone took licences meanwhile), the
 * surplus rows, the last in order, are set back (left awaiting, or not created).
 */
@Component
@Transactional(propagation = Propagation.MANDATORY)
class ProfileLedger {

	private static final String INSERT = """
			insert into profile (username, username_key, email, email_key, first_name, first_name_key, last_name,
			    last_name_key, area_id, pool, state, block_reason, source, password_hash, sysadmin, people_admin,
			    built_in, created_at, updated_at, blocked_at, awaiting_since, version, directory_id, directory_dn)
			values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, false, false, ?, ?, ?, ?, 0, ?, ?)""";

	private static final String UPDATE = """
			update profile set username = ?, username_key = ?, email = ?, email_key = ?, first_name = ?,
			    first_name_key = ?, last_name = ?, last_name_key = ?, area_id = ?, pool = ?, state = ?, block_reason = ?,
			    blocked_at = ?, awaiting_since = ?, directory_dn = ?, updated_at = ?, version = version + 1
			where id = ?""";

	private static final String SET_STANDING = """
			update profile set state = ?, block_reason = ?, blocked_at = ?, awaiting_since = ?, updated_at = ?,
			    version = version + 1
			where id = ?""";

	private final Profiles profiles;

	private final JdbcTemplate jdbc;

	private final LicenseService licenses;

	private final ApplicationEventPublisher events;

	ProfileLedger(Profiles profiles, DataSource dataSource, LicenseService licenses, ApplicationEventPublisher events) {
		this.profiles = profiles;
		this.jdbc = new JdbcTemplate(dataSource);
		this.licenses = licenses;
		this.events = events;
	}

	// One profile, through the entity.

	/**
	 * Creates one active profile: writes its row, then takes its licence.
	 * @throws LicenseLimitExceeded if its pool is full; the caller's transaction rolls
	 * back
	 */
	Profile create(Profile profile, String actor) {
		Profile saved = this.profiles.saveAndFlush(profile);
		boolean takes = saved.usesLicense();
		if (takes) {
			this.licenses.acquire(saved.pool(), 1);
		}
		this.events.publishEvent(new ProfileCreated(saved.id(), saved.username(), saved.area().name(), saved.pool(),
				saved.state(), saved.blockReason(), saved.source(), actor));
		if (takes) {
			taken(saved.pool(), 1, actor);
		}
		return saved;
	}

	/**
	 * Creates the built-in administrator: every role, no licence, so no gate.
	 */
	Profile createBuiltIn(Profile administrator) {
		if (!administrator.isBuiltIn()) {
			throw new IllegalArgumentException("Only the built-in administrator is created without a licence");
		}
		return this.profiles.saveAndFlush(administrator);
	}

	/**
	 * Records a successful sign-in of the profile with that username (ignoring case).
	 */
	void recordSignIn(String username, Instant at) {
		this.jdbc.update("update profile set last_sign_in_at = ? where username_key = ?", Timestamp.from(at),
				Profile.usernameKey(username));
	}

	/**
	 * Marks a locked profile "never reclaim", or takes the mark off; nothing when nothing
	 * would change.
	 */
	void changeReclaimExemption(Profile profile, boolean neverReclaim, String actor) {
		if (profile.isNeverReclaim() == neverReclaim) {
			return;
		}
		profile.exemptFromReclaim(neverReclaim);
		this.profiles.saveAndFlush(profile);
		this.events.publishEvent(
				new ProfileEvents.ReclaimExemptionChanged(profile.id(), profile.username(), neverReclaim, actor));
	}

	/**
	 * A locked profile that the reclaim job blocked signs in again (its password or
	 * identity was checked): the sign-in is recorded, and the profile is made active if
	 * its pool has a licence free (the pool's row locked), or left awaiting one from now
	 * on, at the end of the queue ({@code behind}: at once, when others already wait, so
	 * that it does not overtake them).
	 * @return whether it is active now
	 */
	boolean returnFromDormancy(Profile profile, Instant at, boolean behind, String actor) {
		if (profile.blockReason() != BlockReason.DORMANT) {
			throw new IllegalStateException("Only a dormant profile returns by signing in");
		}
		profile.signedIn(at);
		return activateOrAwait(profile, behind, actor);
	}

	/**
	 * Gives or takes the roles of a locked profile.
	 */
	void changeRoles(Profile profile, boolean sysadmin, boolean peopleAdmin, String actor) {
		profile.grantRoles(sysadmin, peopleAdmin);
		this.profiles.saveAndFlush(profile);
		this.events
			.publishEvent(new ProfileRolesChanged(profile.id(), profile.username(), sysadmin, peopleAdmin, actor));
	}

	/**
	 * Changes the e-mail address and names of a locked profile, and publishes what
	 * changed; nothing when nothing would.
	 */
	void changeDetails(Profile profile, String email, String firstName, String lastName, String actor) {
		ProfileView view = profile.view();
		ProfileDetailsChanged.Details before = new ProfileDetailsChanged.Details(view.email(), view.firstName(),
				view.lastName());
		ProfileDetailsChanged.Details after = new ProfileDetailsChanged.Details(email, firstName, lastName);
		if (before.equals(after)) {
			return;
		}
		profile.changeDetails(email, firstName, lastName);
		this.profiles.saveAndFlush(profile);
		this.events.publishEvent(new ProfileDetailsChanged(profile.id(), profile.username(), before, after, actor));
	}

	/**
	 * Blocks a locked profile for the reason; an active one gives its licence back.
	 * Always allowed, even over the maximum.
	 */
	void block(Profile profile, BlockReason reason, String actor) {
		Standing before = profile.standing();
		Standing after = before.blocked(reason, Instant.now());
		boolean frees = !profile.isBuiltIn() && before.licensesTo(after) < 0;
		profile.change(after);
		this.profiles.saveAndFlush(profile);
		if (frees) {
			this.licenses.release(profile.pool(), 1);
		}
		this.events.publishEvent(new ProfileBlocked(profile.id(), profile.username(), profile.area().name(),
				profile.pool(), reason, frees, actor));
		if (frees) {
			freed(profile.pool(), 1, actor);
		}
	}

	/**
	 * Makes a locked, blocked profile active again, taking a licence of its pool.
	 * @throws LicenseLimitExceeded if the pool is full
	 */
	void activate(Profile profile, String actor) {
		Standing before = profile.standing();
		boolean takes = !profile.isBuiltIn() && before.licensesTo(before.activated()) > 0;
		profile.change(before.activated());
		this.profiles.saveAndFlush(profile);
		if (takes) {
			this.licenses.acquire(profile.pool(), 1);
		}
		this.events.publishEvent(
				new ProfileReinstated(profile.id(), profile.username(), profile.area().name(), profile.pool(), actor));
		if (takes) {
			taken(profile.pool(), 1, actor);
		}
	}

	/**
	 * Moves a locked profile to another area; an active one moving into another pool
	 * takes one of its licences and gives back its old one.
	 * @throws LicenseLimitExceeded if the target pool is full
	 */
	void move(Profile profile, Area target, String actor) {
		Area source = profile.area();
		boolean transfers = profile.usesLicense() && source.pool() != target.pool();
		profile.moveTo(target);
		this.profiles.saveAndFlush(profile);
		if (transfers) {
			this.licenses.transfer(source.pool(), target.pool());
		}
		this.events.publishEvent(new ProfileMoved(profile.id(), profile.username(), source.name(), target.name(),
				source.pool(), target.pool(), profile.state(), profile.blockReason(), actor));
		if (transfers) {
			taken(target.pool(), 1, actor);
			freed(source.pool(), 1, actor);
		}
	}

	/**
	 * Deletes a locked profile and all its data; an active one gives its licence back.
	 */
	void delete(Profile profile, String actor) {
		boolean frees = profile.usesLicense();
		ProfileDeleted deleted = new ProfileDeleted(profile.id(), profile.username(), profile.area().name(),
				profile.pool(), frees, actor,
				(profile.source() == ProfileSource.DIRECTORY) ? profile.directoryId() : null);
		this.profiles.delete(profile);
		this.profiles.flush();
		if (frees) {
			this.licenses.release(profile.pool(), 1);
		}
		this.events.publishEvent(deleted);
		if (frees) {
			freed(profile.pool(), 1, actor);
		}
	}

	/**
	 * Blocks locked profiles for the reason and gives their licences back, one release
	 * per pool; the built-in administrator and profiles already blocked for that reason
	 * are left as they are.
	 */
	BulkBlock blockAll(List<Profile> locked, BlockReason reason, String actor) {
		BulkBlock blocked = BulkBlock.none();
		Map<Pool, Integer> freed = new EnumMap<>(Pool.class);
		List<ProfileBlocked> facts = new ArrayList<>();
		Instant now = Instant.now();
		for (Profile profile : locked) {
			if (profile.isBuiltIn() || profile.blockReason() == reason) {
				continue;
			}
			blocked = blocked.plus(profile);
			Standing before = profile.standing();
			Standing after = before.blocked(reason, now);
			boolean frees = before.licensesTo(after) < 0;
			if (frees) {
				freed.merge(profile.pool(), 1, Integer::sum);
			}
			profile.change(after);
			facts.add(new ProfileBlocked(profile.id(), profile.username(), profile.area().name(), profile.pool(),
					reason, frees, actor));
		}
		this.profiles.flush();
		for (Pool pool : Pool.values()) {
			int count = freed.getOrDefault(pool, 0);
			if (count > 0) {
				this.licenses.release(pool, count);
			}
		}
		facts.forEach(this.events::publishEvent);
		freed.forEach((pool, count) -> freed(pool, count, actor));
		return blocked;
	}

	// SCIM provisioning: one profile at a time, through the entity.

	/**
	 * Creates one profile for a SCIM client: writes its row, then passes the gate as
	 * {@code admission} says.
	 * @throws LicenseLimitExceeded with {@link Provision#ACTIVE_OR_REFUSED}, when the
	 * pool is full; the caller's transaction rolls back
	 */
	Profile provision(Profile profile, Provision admission, String actor) {
		Instant now = Instant.now();
		boolean queues = admission == Provision.AWAITING
				|| (admission == Provision.ACTIVE_OR_AWAITING && this.licenses.expired());
		if (admission == Provision.INACTIVE) {
			profile.change(Standing.created(BlockReason.PROVISIONING, now));
		}
		else if (queues) {
			profile.change(Standing.created(BlockReason.AWAITING_LICENSE, now));
		}
		Profile saved = this.profiles.saveAndFlush(profile);
		boolean takes = false;
		if (admission == Provision.ACTIVE_OR_REFUSED) {
			this.licenses.acquire(saved.pool(), 1);
			takes = true;
		}
		else if (admission == Provision.ACTIVE_OR_AWAITING && !queues) {
			takes = this.licenses.acquireUpTo(saved.pool(), 1) == 1;
			if (!takes) {
				saved.change(Standing.created(BlockReason.AWAITING_LICENSE, now));
				this.profiles.saveAndFlush(saved);
			}
		}
		this.events.publishEvent(new ProfileCreated(saved.id(), saved.username(), saved.area().name(), saved.pool(),
				saved.state(), saved.blockReason(), saved.source(), actor));
		if (takes) {
			taken(saved.pool(), 1, actor);
		}
		if (saved.standing().isAwaiting()) {
			this.events.publishEvent(new ProfilesQueued(saved.pool(), 1, actor));
		}
		return saved;
	}

	/**
	 * Makes a locked, blocked profile active if its pool has a licence free, or leaves it
	 * awaiting one, at the end of the queue ({@code behind}: at once, so that it does not
	 * overtake older awaiting profiles).
	 * @return whether it is active now
	 */
	boolean activateOrAwait(Profile profile, boolean behind, String actor) {
		if (!behind && !this.licenses.expired()) {
			Standing before = profile.standing();
			profile.change(before.activated());
			this.profiles.saveAndFlush(profile);
			if (this.licenses.acquireUpTo(profile.pool(), 1) == 1) {
				this.events.publishEvent(new ProfileReinstated(profile.id(), profile.username(), profile.area().name(),
						profile.pool(), actor));
				taken(profile.pool(), 1, actor);
				return true;
			}
			profile.change(before);
		}
		if (!profile.standing().isAwaiting()) {
			profile.change(profile.standing().blocked(BlockReason.AWAITING_LICENSE, Instant.now()));
			this.profiles.saveAndFlush(profile);
			this.events.publishEvent(new ProfileBlocked(profile.id(), profile.username(), profile.area().name(),
					profile.pool(), BlockReason.AWAITING_LICENSE, false, actor));
			this.events.publishEvent(new ProfilesQueued(profile.pool(), 1, actor));
		}
		else {
			this.profiles.saveAndFlush(profile);
		}
		return false;
	}

	/**
	 * Changes what a SCIM client sets on a locked profile: username, e-mail, names and
	 * external id (the e-mail and names through {@link #changeDetails}); where it stands
	 * is left as it is.
	 */
	void changeAttributes(Profile profile, String username, String email, String firstName, String lastName,
			String externalId, String actor) {
		// The e-mail address and names as every path changes them, with the same fact.
		changeDetails(profile, email, firstName, lastName, actor);
		List<String> changed = new ArrayList<>();
		if (!profile.username().equals(username)) {
			changed.add("userName");
		}
		if (!Objects.equals(profile.externalId(), externalId)) {
			changed.add("externalId");
		}
		if (profile.deprovisionedAt() != null) {
			changed.add("restored");
		}
		if (changed.isEmpty()) {
			return;
		}
		String before = profile.username();
		profile.provisioned(username, profile.email(), profile.firstName(), profile.lastName(), externalId);
		this.profiles.saveAndFlush(profile);
		this.events.publishEvent(new ProfileAttributesChanged(profile.id(), before,
				String.join(",", changed) + (before.equals(username) ? "" : " (now " + username + ")"), actor));
	}

	/**
	 * Moves a locked profile to another area; an active one moving into another pool
	 * gives its old licence back and takes one of the target pool, or awaits one there
	 * when it is full (pools locked in their declared order).
	 */
	void moveOrAwait(Profile profile, Area target, String actor) {
		Area source = profile.area();
		boolean transfers = profile.usesLicense() && source.pool() != target.pool();
		profile.moveTo(target);
		this.profiles.saveAndFlush(profile);
		if (!transfers) {
			this.events.publishEvent(new ProfileMoved(profile.id(), profile.username(), source.name(), target.name(),
					source.pool(), target.pool(), profile.state(), profile.blockReason(), actor));
			return;
		}
		boolean granted = false;
		for (Pool pool : Pool.values()) {
			if (pool == source.pool()) {
				this.licenses.release(pool, 1);
			}
			else if (pool == target.pool()) {
				granted = !this.licenses.expired() && this.licenses.acquireUpTo(pool, 1) == 1;
			}
		}
		if (!granted) {
			profile.change(profile.standing().blocked(BlockReason.AWAITING_LICENSE, Instant.now()));
			this.profiles.saveAndFlush(profile);
		}
		if (granted) {
			taken(target.pool(), 1, actor);
		}
		this.events.publishEvent(new ProfileMoved(profile.id(), profile.username(), source.name(), target.name(),
				source.pool(), target.pool(), profile.state(), profile.blockReason(), actor));
		freed(source.pool(), 1, actor);
		if (!granted) {
			this.events.publishEvent(new ProfilesQueued(target.pool(), 1, actor));
		}
	}

	/**
	 * Hides a locked profile from its SCIM client, which deleted the user, and blocks it
	 * (an administrator's block stays).
	 */
	void deprovision(Profile profile, String actor) {
		if (profile.blockReason() != BlockReason.ADMINISTRATOR && profile.blockReason() != BlockReason.PROVISIONING) {
			block(profile, BlockReason.PROVISIONING, actor);
		}
		profile.deprovisioned(Instant.now());
		this.profiles.saveAndFlush(profile);
		this.events.publishEvent(new ProfileDeprovisioned(profile.id(), profile.username(), actor));
	}

	// Batches, through JDBC.

	/**
	 * Creates the drafts in one transaction, in their order: {@link #prepare} and then
	 * {@link #admit}.
	 * @return per pool, how many of its drafts were created active
	 */
	Map<Pool, Integer> createAll(List<Draft> drafts, Admission admission, Set<Pool> full, String actor) {
		return admit(prepare(drafts, admission, full, (done) -> {
		}), actor);
	}

	/**
	 * Writes the drafts' rows, in their order, without any pool lock: in each pool, the
	 * first drafts are written active, as many as the pool seems to have free licences
	 * for (an unlocked read) and as {@code admission} allows; the others are written
	 * awaiting a licence ({@code ACTIVE_OR_AWAITING}) or not at all
	 * ({@code AS_MANY_AS_FIT}). Nothing is decided until {@link #admit} passes the gate,
	 * in the same transaction.
	 * @param full pools that must grant nothing, so that no newer draft overtakes an
	 * older awaiting profile ({@code ACTIVE_OR_AWAITING} only); a pool that runs out is
	 * added to it
	 * @param progress told how many drafts are written, after each batch
	 * @throws LicenseLimitExceeded in {@code ALL_OR_NOTHING} mode, when a pool cannot
	 * take all its drafts, and in the modes that do not wait, when the licence expired
	 */
	Batch prepare(List<Draft> drafts, Admission admission, Set<Pool> full, IntConsumer progress) {
		Batch batch = new Batch(drafts, admission, full);
		boolean tooSmall = false;
		for (Pool pool : Pool.values()) {
			int count = batch.wanted.getOrDefault(pool, 0);
			if (count > 0) {
				batch.free.put(pool, this.licenses.available(pool));
				batch.planned.put(pool, plan(pool, count, batch));
				tooSmall |= admission == Admission.ALL_OR_NOTHING && count > batch.free.get(pool);
			}
		}
		if (tooSmall) {
			// A pool seems too small for the whole batch: the gate is asked at once,
			// before
			// anything is written, for every pool of the batch in their declared order (a
			// later pool locked before an earlier one would deadlock with a batch that
			// locks them in order). It refuses (the usual case), or grants because
			// licences were freed meanwhile, and the pools stay locked.
			for (Pool pool : Pool.values()) {
				int count = batch.wanted.getOrDefault(pool, 0);
				if (count > 0) {
					this.licenses.acquire(pool, count);
					batch.acquired.add(pool);
				}
			}
		}
		Timestamp now = Timestamp.from(Instant.now());
		Map<Pool, Integer> index = new EnumMap<>(Pool.class);
		List<Object[]> rows = new ArrayList<>(SqlInList.SIZE);
		int done = 0;
		for (Draft draft : drafts) {
			done++;
			int position = index.merge(draft.pool(), 1, Integer::sum) - 1;
			boolean activeNow = position < batch.planned.get(draft.pool());
			if (!activeNow && admission == Admission.AS_MANY_AS_FIT) {
				continue;
			}
			if (activeNow) {
				batch.active.computeIfAbsent(draft.pool(), (pool) -> new ArrayList<>()).add(draft.usernameKey());
			}
			rows.add(draft.row(activeNow, now));
			if (rows.size() == SqlInList.SIZE) {
				this.jdbc.batchUpdate(INSERT, rows);
				rows.clear();
				progress.accept(done);
			}
		}
		if (!rows.isEmpty()) {
			this.jdbc.batchUpdate(INSERT, rows);
		}
		progress.accept(done);
		return batch;
	}

	/**
	 * Passes the gate for the prepared rows, pools in their declared order, and sets back
	 * the surplus when a pool grants fewer than were written active (the last ones: left
	 * awaiting, or deleted in {@code AS_MANY_AS_FIT} mode). The pools stay locked until
	 * the caller's transaction ends: what it does after this should be short.
	 * @return per pool, how many of its drafts were created active
	 * @throws LicenseLimitExceeded in {@code ALL_OR_NOTHING} mode, when a pool cannot
	 * take all its drafts
	 */
	Map<Pool, Integer> admit(Batch batch, String actor) {
		Map<Pool, Integer> granted = new EnumMap<>(Pool.class);
		List<ProfilesCreated.Created> created = new ArrayList<>();
		for (Pool pool : Pool.values()) {
			int count = batch.wanted.getOrDefault(pool, 0);
			if (count == 0) {
				continue;
			}
			int plan = batch.planned.get(pool);
			int got;
			if (batch.admission == Admission.ALL_OR_NOTHING) {
				if (!batch.acquired.contains(pool)) {
					this.licenses.acquire(pool, count);
				}
				got = count;
			}
			else {
				got = (plan == 0) ? 0 : this.licenses.acquireUpTo(pool, plan);
			}
			if (got < plan) {
				List<String> surplus = batch.active.get(pool).subList(got, plan);
				if (batch.admission == Admission.AS_MANY_AS_FIT) {
					forKeys(surplus, "delete from profile where username_key in (%s)");
				}
				else {
					forKeys(surplus, "update profile set state = 'BLOCKED', block_reason = 'AWAITING_LICENSE', "
							+ "blocked_at = created_at, awaiting_since = created_at where username_key in (%s)");
				}
			}
			if (batch.admission == Admission.ACTIVE_OR_AWAITING && got < count) {
				batch.full.add(pool);
			}
			granted.put(pool, got);
			int awaiting = (batch.admission == Admission.ACTIVE_OR_AWAITING) ? count - got : 0;
			created.add(new ProfilesCreated.Created(pool, got, awaiting));
		}
		if (!batch.drafts.isEmpty()) {
			this.events.publishEvent(new ProfilesCreated(batch.drafts.get(0).source(), created, actor));
		}
		for (ProfilesCreated.Created pool : created) {
			if (pool.active() > 0) {
				taken(pool.pool(), pool.active(), actor);
			}
			if (pool.awaiting() > 0) {
				this.events.publishEvent(new ProfilesQueued(pool.pool(), pool.awaiting(), actor));
			}
		}
		return granted;
	}

	/**
	 * How many of a pool's {@code count} drafts to write active, from an unlocked read of
	 * its free licences ({@code ALL_OR_NOTHING}: all of them, or the batch is refused).
	 */
	private int plan(Pool pool, int count, Batch batch) {
		int free = batch.free.get(pool);
		if (batch.admission == Admission.ACTIVE_OR_AWAITING) {
			return (batch.full.contains(pool) || this.licenses.expired()) ? 0 : Math.min(count, free);
		}
		this.licenses.refuseIfExpired(pool, count);
		if (batch.admission == Admission.AS_MANY_AS_FIT) {
			return Math.min(count, free);
		}
		return count;
	}

	/**
	 * Takes a locked profile that awaits a licence out of the queue: blocked by an
	 * administrator.
	 */
	void dequeue(Profile profile, String actor) {
		Pool pool = profile.pool();
		block(profile, BlockReason.ADMINISTRATOR, actor);
		this.events.publishEvent(
				new ProfileQueueChanged(profile.id(), profile.username(), pool, ProfileQueueChanged.REMOVED, actor));
	}

	/**
	 * Moves a locked profile that awaits a licence to the front of its pool's queue: it
	 * waits since just before the oldest. Changes nothing else.
	 */
	void promote(Profile profile, Instant since, String actor) {
		profile.change(profile.standing().awaitingSince(since));
		this.profiles.saveAndFlush(profile);
		this.events.publishEvent(new ProfileQueueChanged(profile.id(), profile.username(), profile.pool(),
				ProfileQueueChanged.PROMOTED, actor));
	}

	/**
	 * Activates the profiles that await a licence of the pool, oldest first, at most
	 * {@code chunk} of them, as far as the pool has free licences. Their rows are locked
	 * and written first, then the gate is asked.
	 * @param source only the awaiting profiles that came this way
	 * @return how many it activated, and how many were waiting in the chunk
	 */
	Activation activateQueue(Pool pool, int chunk, String actor) {
		List<Waiting> waiting = this.jdbc.query("""
				select p.id, p.username, a.name, p.blocked_at, p.awaiting_since from profile p
				join area a on a.id = p.area_id
				where p.pool = ? and p.state = 'BLOCKED' and p.block_reason = 'AWAITING_LICENSE'
				order by p.awaiting_since, p.id fetch first ? rows only""", (rs, n) -> new Waiting(rs.getLong(1),
				rs.getString(2), rs.getString(3), rs.getTimestamp(4), rs.getTimestamp(5)), pool.name(), chunk);
		if (waiting.isEmpty() || this.licenses.expired()) {
			return new Activation(0, waiting.size());
		}
		int plan = Math.min(waiting.size(), this.licenses.available(pool));
		if (plan == 0) {
			return new Activation(0, waiting.size());
		}
		// The first in the queue are locked in id order, as every batch locks profiles,
		// so that this cannot deadlock with a directory update or a bulk block; those
		// that
		// stopped waiting meanwhile, or now wait for another pool (a directory update
		// moved them), are left out.
		List<Waiting> first = waiting.subList(0, plan);
		List<Object> arguments = new ArrayList<>();
		first.stream().map(Waiting::id).sorted().forEach(arguments::add);
		arguments.add(pool.name());
		Set<Long> stillWaiting = new HashSet<>(
				this.jdbc.queryForList("select id from profile where id in (" + SqlInList.placeholders(first.size())
						+ ") and state = 'BLOCKED' and block_reason = 'AWAITING_LICENSE' "
						+ "and pool = ? order by id for update", Long.class, arguments.toArray()));
		waiting = waiting.stream()
			.filter((profile) -> stillWaiting.contains(profile.id()) || !first.contains(profile))
			.toList();
		plan = stillWaiting.size();
		if (plan == 0) {
			return new Activation(0, waiting.size());
		}
		Timestamp now = Timestamp.from(Instant.now());
		Standing active = Standing.active();
		this.jdbc.batchUpdate(SET_STANDING,
				waiting.subList(0, plan).stream().map((profile) -> standingRow(active, now, profile.id())).toList());
		int granted = this.licenses.acquireUpTo(pool, plan);
		if (granted < plan) {
			// Back in the queue at their own places.
			this.jdbc.batchUpdate(SET_STANDING, waiting.subList(granted, plan)
				.stream()
				.map((profile) -> new Object[] { ProfileState.BLOCKED.name(), BlockReason.AWAITING_LICENSE.name(),
						profile.blockedAt(), profile.awaitingSince(), now, profile.id() })
				.toList());
		}
		for (Waiting profile : waiting.subList(0, granted)) {
			this.events
				.publishEvent(new ProfileReinstated(profile.id(), profile.username(), profile.area(), pool, actor));
		}
		if (granted > 0) {
			taken(pool, granted, actor);
		}
		return new Activation(granted, waiting.size());
	}

	/**
	 * Writes changes of locked rows in one batch: their attributes, area and pool, and
	 * where they stand. A change that makes a profile active in a pool (a move of an
	 * active profile into another pool) takes one of its licences, or leaves the profile
	 * awaiting one when the pool has none; a change that ends an active profile's hold
	 * gives its licence back.
	 * @param now the moment of the change, the same for every profile in it (so that
	 * profiles it leaves awaiting queue by id, in the order they came)
	 * @return the changes as written, with where each profile stands now
	 */
	/**
	 * Points directory profiles at the new stable ids of their accounts (rehires), each
	 * with how it was matched; their state, area and pool stay as they are.
	 */
	void rematch(List<Rematch> rematches, Instant now, String actor) {
		Timestamp at = Timestamp.from(now);
		this.jdbc.batchUpdate(
				"update profile set directory_id = ?, updated_at = ?, version = version + 1 "
						+ "where id = ? and source = 'DIRECTORY'",
				rematches.stream()
					.map((rematch) -> new Object[] { rematch.newDirectoryId(), at, rematch.id() })
					.toList());
		for (Rematch rematch : rematches) {
			this.events.publishEvent(new ProfileEvents.DirectoryAccountRematched(rematch.id(), rematch.username(),
					rematch.oldDirectoryId(), rematch.newDirectoryId(), rematch.by(), actor));
		}
	}

	/**
	 * A directory profile that follows a new stable id.
	 */
	record Rematch(long id, String username, String oldDirectoryId, String newDirectoryId, String by) {
	}

	List<Change> changeAll(List<Change> changes, Instant now, String actor) {
		Map<Pool, Integer> released = new EnumMap<>(Pool.class);
		Map<Pool, List<Integer>> takers = new EnumMap<>(Pool.class);
		List<Change> written = new ArrayList<>(changes);
		for (int i = 0; i < written.size(); i++) {
			Change change = written.get(i);
			boolean held = change.from().isActive();
			boolean holds = change.to().isActive();
			if (held && (!holds || change.fromPool() != change.pool())) {
				released.merge(change.fromPool(), 1, Integer::sum);
			}
			if (holds && (!held || change.fromPool() != change.pool())) {
				takers.computeIfAbsent(change.pool(), (pool) -> new ArrayList<>()).add(i);
			}
		}
		Map<Pool, Integer> planned = new EnumMap<>(Pool.class);
		boolean expired = !takers.isEmpty() && this.licenses.expired();
		for (Map.Entry<Pool, List<Integer>> pool : takers.entrySet()) {
			int free = expired ? 0 : this.licenses.available(pool.getKey()) + released.getOrDefault(pool.getKey(), 0);
			int plan = Math.min(pool.getValue().size(), Math.max(0, free));
			planned.put(pool.getKey(), plan);
			for (int i : pool.getValue().subList(plan, pool.getValue().size())) {
				written.set(i, written.get(i).awaiting(now));
			}
		}
		Timestamp updatedAt = Timestamp.from(now);
		this.jdbc.batchUpdate(UPDATE, written.stream().map((change) -> change.row(updatedAt)).toList());
		Map<Pool, Integer> queued = new EnumMap<>(Pool.class);
		Map<Pool, Integer> took = new EnumMap<>(Pool.class);
		for (Pool pool : Pool.values()) {
			int release = released.getOrDefault(pool, 0);
			if (release > 0) {
				this.licenses.release(pool, release);
			}
			List<Integer> wanting = takers.getOrDefault(pool, List.of());
			int plan = planned.getOrDefault(pool, 0);
			int granted = (plan == 0) ? 0 : this.licenses.acquireUpTo(pool, plan);
			if (granted < plan) {
				List<Object[]> back = new ArrayList<>();
				for (int i : wanting.subList(granted, plan)) {
					Change awaiting = written.get(i).awaiting(now);
					written.set(i, awaiting);
					back.add(standingRow(awaiting.to(), updatedAt, awaiting.id()));
				}
				this.jdbc.batchUpdate(SET_STANDING, back);
			}
			if (wanting.size() > granted) {
				queued.put(pool, wanting.size() - granted);
			}
			if (granted > 0) {
				took.put(pool, granted);
			}
		}
		// The facts once every pool is locked: their listeners lock rows of their own
		// (the limit episodes' watch rows), after the pools, as every batch does.
		took.forEach((pool, count) -> taken(pool, count, actor));
		for (Change change : written) {
			change.facts(actor).forEach(this.events::publishEvent);
		}
		released.forEach((pool, count) -> freed(pool, count, actor));
		queued.forEach((pool, count) -> this.events.publishEvent(new ProfilesQueued(pool, count, actor)));
		return written;
	}

	private void forKeys(List<String> keys, String sql) {
		for (List<String> chunk : SqlInList.chunks(keys)) {
			this.jdbc.update(String.format(sql, SqlInList.placeholders(chunk.size())), chunk.toArray());
		}
	}

	private void taken(Pool pool, int count, String actor) {
		this.events.publishEvent(new LicensesTaken(pool, count, actor));
	}

	private void freed(Pool pool, int count, String actor) {
		this.events.publishEvent(new LicensesFreed(pool, count, actor));
	}

	private static Object[] standingRow(Standing standing, Timestamp now, long id) {
		return new Object[] { standing.state().name(), (standing.reason() != null) ? standing.reason().name() : null,
				timestamp(standing.blockedAt()), timestamp(standing.awaitingSince()), now, id };
	}

	private static Timestamp timestamp(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	private static String lower(String value) {
		return value.toLowerCase(Locale.ROOT);
	}

	/**
	 * How one profile created by a SCIM client is admitted.
	 */
	enum Provision {

		/** Active, or refused when its pool is full. */
		ACTIVE_OR_REFUSED,

		/** Active, or awaiting a licence when its pool is full. */
		ACTIVE_OR_AWAITING,

		/** Awaiting a licence, behind those that already await one. */
		AWAITING,

		/** Blocked: its client created it inactive. */
		INACTIVE

	}

	/**
	 * How a batch of new profiles is admitted when their pools have too few licences.
	 */
	enum Admission {

		/** Every draft is created active, or none is (the gate refuses). */
		ALL_OR_NOTHING,

		/** As many as fit are created active, in order; the others are not created. */
		AS_MANY_AS_FIT,

		/** As many as fit are created active, in order; the others await a licence. */
		ACTIVE_OR_AWAITING

	}

	/**
	 * New profiles whose rows are written, waiting for {@link #admit}.
	 */
	static final class Batch {

		private final List<Draft> drafts;

		private final Admission admission;

		private final Set<Pool> full;

		private final Map<Pool, Integer> wanted = new EnumMap<>(Pool.class);

		private final Map<Pool, Integer> free = new EnumMap<>(Pool.class);

		private final Map<Pool, Integer> planned = new EnumMap<>(Pool.class);

		private final Set<Pool> acquired = EnumSet.noneOf(Pool.class);

		private final Map<Pool, List<String>> active = new EnumMap<>(Pool.class);

		private Batch(List<Draft> drafts, Admission admission, Set<Pool> full) {
			this.drafts = drafts;
			this.admission = admission;
			this.full = full;
			drafts.forEach((draft) -> this.wanted.merge(draft.pool(), 1, Integer::sum));
		}

		/**
		 * Per pool, how many drafts were written active: what {@link #admit} will grant
		 * unless licences were taken meanwhile.
		 */
		Map<Pool, Integer> planned() {
			return this.planned;
		}

		/**
		 * The pool's free licences when the rows were prepared (an unlocked read).
		 */
		int free(Pool pool) {
			return this.free.getOrDefault(pool, 0);
		}

	}

	/**
	 * A profile to create in a batch.
	 */
	record Draft(String username, String email, String firstName, String lastName, long areaId, Pool pool,
			ProfileSource source, String directoryId, String directoryDn) {

		String usernameKey() {
			return Profile.usernameKey(this.username);
		}

		Object[] row(boolean active, Timestamp now) {
			return new Object[] { this.username, usernameKey(), this.email, lower(this.email), this.firstName,
					lower(this.firstName), this.lastName, lower(this.lastName), this.areaId, this.pool.name(),
					active ? ProfileState.ACTIVE.name() : ProfileState.BLOCKED.name(),
					active ? null : BlockReason.AWAITING_LICENSE.name(), this.source.name(), null, now, now,
					active ? null : now, active ? null : now, this.directoryId, this.directoryDn };
		}

	}

	/**
	 * A change of one locked profile row: what it was and what it should become.
	 */
	record Change(long id, String fromArea, Pool fromPool, Standing from, String username, String email,
			String firstName, String lastName, long areaId, String area, Pool pool, String dn, Standing to) {

		Change awaiting(Instant now) {
			return new Change(this.id, this.fromArea, this.fromPool, this.from, this.username, this.email,
					this.firstName, this.lastName, this.areaId, this.area, this.pool, this.dn,
					this.from.blocked(BlockReason.AWAITING_LICENSE, now));
		}

		Object[] row(Timestamp now) {
			return new Object[] { this.username, Profile.usernameKey(this.username), this.email, lower(this.email),
					this.firstName, lower(this.firstName), this.lastName, lower(this.lastName), this.areaId,
					this.pool.name(), this.to.state().name(),
					(this.to.reason() != null) ? this.to.reason().name() : null, timestamp(this.to.blockedAt()),
					timestamp(this.to.awaitingSince()), this.dn, now, this.id };
		}

		/**
		 * The facts of the change, the same as the single-profile path publishes: a block
		 * (and what it freed), a move (and where the profile stands after it), an
		 * activation.
		 */
		List<Object> facts(String actor) {
			List<Object> facts = new ArrayList<>(2);
			boolean moved = !this.fromArea.equals(this.area) || this.fromPool != this.pool;
			boolean newBlock = !this.to.isActive() && !this.to.isAwaiting() && this.to.reason() != this.from.reason();
			if (newBlock) {
				facts.add(new ProfileBlocked(this.id, this.username, this.fromArea, this.fromPool, this.to.reason(),
						this.from.isActive(), actor));
			}
			if (moved) {
				facts.add(new ProfileMoved(this.id, this.username, this.fromArea, this.area, this.fromPool, this.pool,
						this.to.state(), this.to.reason(), actor));
			}
			else if (this.to.isActive() && !this.from.isActive()) {
				facts.add(new ProfileReinstated(this.id, this.username, this.area, this.pool, actor));
			}
			return facts;
		}

	}

	/**
	 * What one step of activating a queue did.
	 *
	 * @param activated profiles made active
	 * @param waiting profiles that were waiting in the step
	 */
	record Activation(int activated, int waiting) {
	}

	private record Waiting(long id, String username, String area, Timestamp blockedAt, Timestamp awaitingSince) {
	}

}
