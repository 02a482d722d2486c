package io.seatkeeper.people;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import io.seatkeeper.license.LicenseService;
import io.seatkeeper.license.Pool;
import io.seatkeeper.people.DirectoryChanges.DirectoryError;
import io.seatkeeper.people.ProfileEvents.ProfileBlocked;
import io.seatkeeper.people.ProfileEvents.ProfileMoved;
import io.seatkeeper.people.ProfileEvents.ProfileReinstated;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The profiles that come from the directory, changed in batches for the directory sync.
 * Each method is one transaction: it locks the profiles' rows first, then passes the
 * licence gate (pools in their declared order) for every profile it makes active, and
 * writes the rows in JDBC batches. A profile blocked by an administrator is never made
 * active here.
 */
@Service
public class DirectoryAccounts {

	private static final String ACCOUNT_COLUMNS = "p.id, p.directory_id, p.directory_dn, p.username, p.email, "
			+ "p.first_name, p.last_name, p.area_id, p.pool, p.state, p.block_reason, p.awaiting_since";

	private static final String INSERT = """
			insert into profile (username, username_key, email, email_key, first_name, first_name_key, last_name,
			    last_name_key, area_id, pool, state, block_reason, source, sysadmin, people_admin, built_in,
			    created_at, updated_at, blocked_at, awaiting_since, version, directory_id, directory_dn)
			values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'DIRECTORY', false, false, false, ?, ?, ?, ?, 0, ?, ?)""";

	private static final String UPDATE = """
			update profile set username = ?, username_key = ?, email = ?, email_key = ?, first_name = ?,
			    first_name_key = ?, last_name = ?, last_name_key = ?, area_id = ?, pool = ?, state = ?, block_reason = ?,
			    blocked_at = ?, awaiting_since = ?, directory_dn = ?, updated_at = ?, version = version + 1
			where id = ?""";

	private final JdbcTemplate jdbc;

	private final Areas areas;

	private final LicenseService licenses;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transactions;

	DirectoryAccounts(DataSource dataSource, Areas areas, LicenseService licenses, ApplicationEventPublisher events,
			TransactionTemplate transactions) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.areas = areas;
		this.licenses = licenses;
		this.events = events;
		this.transactions = transactions;
	}

	/**
	 * Every profile that came from the directory, read in one query.
	 */
	public List<DirectoryAccount> accounts() {
		return this.jdbc.query(
				"select " + ACCOUNT_COLUMNS
						+ " from profile p where p.source = 'DIRECTORY' and p.directory_id is not null order by p.id",
				DirectoryAccounts::account);
	}

	/**
	 * The profile from the directory with that username (ignoring case), if there is one.
	 */
	public Optional<DirectoryAccount> findByUsername(String username) {
		return this.jdbc
			.query("select " + ACCOUNT_COLUMNS + " from profile p where p.source = 'DIRECTORY' and p.username_key = ?",
					DirectoryAccounts::account, Profile.usernameKey(username))
			.stream()
			.findFirst();
	}

	/**
	 * How many profiles from the directory await a licence of the pool.
	 */
	public int countAwaiting(Pool pool) {
		return this.jdbc.queryForObject("select count(*) from profile where source = 'DIRECTORY' and pool = ? "
				+ "and state = 'BLOCKED' and block_reason = 'AWAITING_LICENSE'", Integer.class, pool.name());
	}

	/**
	 * Applies the directory to existing profiles, in one transaction: {@code changed}
	 * holds the entries of profiles whose values differ (by profile id), {@code gone} the
	 * profiles that left the directory's scope. A disabled or gone profile is blocked
	 * with the reason {@code DIRECTORY} and gives its licence back; an enabled one that
	 * was blocked by the directory becomes awaiting (the awaiting are then activated
	 * oldest first by {@link #activateAwaiting}); an active one that moves to another
	 * pool takes one of its licences through the gate, or awaits one.
	 */
	public DirectoryChanges update(Map<Long, DirectoryEntry> changed, Collection<Long> gone, String actor) {
		return this.transactions.execute((status) -> {
			Map<Long, Area> areaById = areaById();
			List<Long> ids = new ArrayList<>(changed.keySet());
			ids.addAll(gone);
			List<Row> rows = lock(ids);
			List<DirectoryError> errors = new ArrayList<>();
			Set<Long> conflicts = renameConflicts(rows, changed, errors);
			Instant now = Instant.now();
			Map<Pool, Integer> released = new EnumMap<>(Pool.class);
			Map<Pool, List<Row>> moving = new EnumMap<>(Pool.class);
			List<Row> written = new ArrayList<>();
			int updated = 0;
			int blockedDisabled = 0;
			int blockedRemoved = 0;
			List<Object> published = new ArrayList<>();
			for (Row row : rows) {
				DirectoryEntry entry = changed.get(row.id);
				if (entry == null) {
					if (!row.holdsDirectoryPlace()) {
						continue;
					}
					published.add(row.blockByDirectory(now, released, actor, areaById.get(row.areaId)));
					blockedRemoved++;
					written.add(row);
					continue;
				}
				if (conflicts.contains(row.id)) {
					continue;
				}
				Area area = areaById.get(entry.areaId());
				Area from = areaById.get(row.areaId);
				boolean attributes = row.takeAttributes(entry, area, now);
				if (attributes) {
					updated++;
				}
				if (row.blockReason == BlockReason.ADMINISTRATOR) {
					// Stays blocked whatever the directory says.
				}
				else if (!entry.enabled()) {
					if (row.holdsDirectoryPlace()) {
						published.add(row.blockByDirectory(now, released, actor, from));
						blockedDisabled++;
					}
				}
				else if (row.state == ProfileState.ACTIVE && row.originalPool != row.pool) {
					released.merge(row.originalPool, 1, Integer::sum);
					moving.computeIfAbsent(row.pool, (pool) -> new ArrayList<>()).add(row);
					published.add(new ProfileMoved(row.id, row.username, from.name(), area.name(), row.originalPool,
							row.pool, ProfileState.ACTIVE, actor));
				}
				else if (row.blockReason == BlockReason.DIRECTORY) {
					row.await(now);
				}
				written.add(row);
			}
			for (Pool pool : Pool.values()) {
				int release = released.getOrDefault(pool, 0);
				if (release > 0) {
					this.licenses.release(pool, release);
				}
				List<Row> movers = moving.getOrDefault(pool, List.of());
				int granted = grant(pool, movers.size());
				for (int i = granted; i < movers.size(); i++) {
					movers.get(i).await(now);
				}
			}
			write(written, now);
			published.forEach(this.events::publishEvent);
			return new DirectoryChanges(0, 0, 0, updated, blockedDisabled, blockedRemoved, errors);
		});
	}

	/**
	 * Activates the profiles from the directory that await a licence of the pool, oldest
	 * first, as far as the pool has free licences, a thousand per transaction. Profiles
	 * blocked for another reason are left alone.
	 * @return how many it activated
	 */
	public int activateAwaiting(Pool pool, int chunk, String actor) {
		int activated = 0;
		while (true) {
			int[] step = this.transactions.execute((status) -> {
				List<Object[]> waiting = this.jdbc.query("""
						select p.id, p.username, a.name from profile p join area a on a.id = p.area_id
						where p.source = 'DIRECTORY' and p.pool = ? and p.state = 'BLOCKED'
						    and p.block_reason = 'AWAITING_LICENSE'
						order by p.awaiting_since, p.id fetch first ? rows only for update of p""",
						(rs, n) -> new Object[] { rs.getLong(1), rs.getString(2), rs.getString(3) }, pool.name(),
						chunk);
				if (waiting.isEmpty()) {
					return new int[] { 0, 0 };
				}
				int granted = grant(pool, waiting.size());
				Timestamp now = Timestamp.from(Instant.now());
				List<Object[]> batch = new ArrayList<>(granted);
				for (Object[] profile : waiting.subList(0, granted)) {
					batch.add(new Object[] { now, profile[0] });
					this.events.publishEvent(new ProfileReinstated((Long) profile[0], (String) profile[1],
							(String) profile[2], pool, actor));
				}
				this.jdbc.batchUpdate("update profile set state = 'ACTIVE', block_reason = null, blocked_at = null, "
						+ "awaiting_since = null, updated_at = ?, version = version + 1 where id = ?", batch);
				return new int[] { granted, waiting.size() };
			});
			activated += step[0];
			if (step[0] < chunk || step[0] < step[1]) {
				return activated;
			}
		}
	}

	/**
	 * Creates profiles for new directory entries, in one transaction and in the given
	 * order: as many active as the gate grants in each pool, the rest blocked awaiting a
	 * licence, queued in that order. A pool in {@code full} (one that an earlier step
	 * found full) grants nothing, so that no newer entry overtakes an older awaiting
	 * profile; a pool that runs out is added to it. An entry whose username or directory
	 * id a profile already has is reported, not created.
	 */
	public DirectoryChanges create(List<DirectoryEntry> entries, Set<Pool> full, String actor) {
		return this.transactions.execute((status) -> {
			Map<Long, Area> areaById = areaById();
			List<DirectoryError> errors = new ArrayList<>();
			Set<String> takenUsernames = existing("username_key",
					entries.stream().map((entry) -> Profile.usernameKey(entry.username())).toList());
			Set<String> takenIds = existing("directory_id", entries.stream().map(DirectoryEntry::directoryId).toList());
			Map<Pool, List<DirectoryEntry>> byPool = new EnumMap<>(Pool.class);
			Set<String> seen = new HashSet<>();
			for (DirectoryEntry entry : entries) {
				String key = Profile.usernameKey(entry.username());
				if (takenUsernames.contains(key) || !seen.add(key)) {
					errors.add(new DirectoryError(entry.dn(), "directory.error.usernameTaken", entry.username()));
				}
				else if (takenIds.contains(entry.directoryId())) {
					errors.add(new DirectoryError(entry.dn(), "directory.error.idTaken", entry.directoryId()));
				}
				else {
					byPool.computeIfAbsent(areaById.get(entry.areaId()).pool(), (pool) -> new ArrayList<>()).add(entry);
				}
			}
			Timestamp now = Timestamp.from(Instant.now());
			List<Object[]> batch = new ArrayList<>();
			int active = 0;
			int awaiting = 0;
			for (Pool pool : Pool.values()) {
				List<DirectoryEntry> wanted = byPool.getOrDefault(pool, List.of());
				if (wanted.isEmpty()) {
					continue;
				}
				int granted = full.contains(pool) ? 0 : grant(pool, wanted.size());
				if (granted < wanted.size()) {
					full.add(pool);
				}
				for (int i = 0; i < wanted.size(); i++) {
					DirectoryEntry entry = wanted.get(i);
					boolean activeNow = i < granted;
					batch.add(new Object[] { entry.username(), Profile.usernameKey(entry.username()), entry.email(),
							lower(entry.email()), entry.firstName(), lower(entry.firstName()), entry.lastName(),
							lower(entry.lastName()), entry.areaId(), pool.name(), activeNow ? "ACTIVE" : "BLOCKED",
							activeNow ? null : BlockReason.AWAITING_LICENSE.name(), now, now, activeNow ? null : now,
							activeNow ? null : now, entry.directoryId(), entry.dn() });
				}
				active += granted;
				awaiting += wanted.size() - granted;
			}
			this.jdbc.batchUpdate(INSERT, batch);
			return new DirectoryChanges(active, awaiting, 0, 0, 0, 0, errors);
		});
	}

	private Map<Long, Area> areaById() {
		Map<Long, Area> byId = new HashMap<>();
		this.areas.findAllOrdered().forEach((area) -> byId.put(area.id(), area));
		return byId;
	}

	private Set<String> existing(String column, List<String> values) {
		Set<String> found = new HashSet<>();
		for (int from = 0; from < values.size(); from += 1000) {
			List<String> chunk = values.subList(from, Math.min(values.size(), from + 1000));
			found.addAll(this.jdbc.queryForList(
					"select " + column + " from profile where " + column + " in (" + marks(chunk.size()) + ")",
					String.class, chunk.toArray()));
		}
		return found;
	}

	private List<Row> lock(List<Long> ids) {
		List<Row> rows = new ArrayList<>();
		List<Long> sorted = ids.stream().distinct().sorted().toList();
		for (int from = 0; from < sorted.size(); from += 1000) {
			List<Long> chunk = sorted.subList(from, Math.min(sorted.size(), from + 1000));
			rows.addAll(this.jdbc.query("select id, username, email, first_name, last_name, area_id, pool, state, "
					+ "block_reason, blocked_at, awaiting_since, directory_dn from profile where source = 'DIRECTORY' "
					+ "and id in (" + marks(chunk.size()) + ") order by id for update", Row::new, chunk.toArray()));
		}
		return rows;
	}

	/**
	 * The profiles whose new username another profile has: reported, and left as they
	 * are.
	 */
	private Set<Long> renameConflicts(List<Row> rows, Map<Long, DirectoryEntry> changed, List<DirectoryError> errors) {
		Map<String, Long> renamed = new LinkedHashMap<>();
		for (Row row : rows) {
			DirectoryEntry entry = changed.get(row.id);
			if (entry != null && !Profile.usernameKey(entry.username()).equals(Profile.usernameKey(row.username))) {
				renamed.put(Profile.usernameKey(entry.username()), row.id);
			}
		}
		if (renamed.isEmpty()) {
			return Collections.emptySet();
		}
		Set<Long> conflicts = new HashSet<>();
		List<String> keys = new ArrayList<>(renamed.keySet());
		for (String taken : existing("username_key", keys)) {
			Long id = renamed.get(taken);
			conflicts.add(id);
			DirectoryEntry entry = changed.get(id);
			errors.add(new DirectoryError(entry.dn(), "directory.error.usernameTaken", entry.username()));
		}
		return conflicts;
	}

	private void write(List<Row> rows, Instant now) {
		Timestamp updatedAt = Timestamp.from(now);
		List<Object[]> batch = new ArrayList<>(rows.size());
		for (Row row : rows) {
			batch.add(new Object[] { row.username, Profile.usernameKey(row.username), row.email, lower(row.email),
					row.firstName, lower(row.firstName), row.lastName, lower(row.lastName), row.areaId, row.pool.name(),
					row.state.name(), (row.blockReason != null) ? row.blockReason.name() : null,
					timestamp(row.blockedAt), timestamp(row.awaitingSince), row.dn, updatedAt, row.id });
		}
		if (!batch.isEmpty()) {
			this.jdbc.batchUpdate(UPDATE, batch);
		}
	}

	private static DirectoryAccount account(ResultSet rs, int rowNum) throws SQLException {
		String reason = rs.getString("block_reason");
		Timestamp awaiting = rs.getTimestamp("awaiting_since");
		return new DirectoryAccount(rs.getLong("id"), rs.getString("directory_id"), rs.getString("directory_dn"),
				rs.getString("username"), rs.getString("email"), rs.getString("first_name"), rs.getString("last_name"),
				rs.getLong("area_id"), Pool.valueOf(rs.getString("pool")), ProfileState.valueOf(rs.getString("state")),
				(reason != null) ? BlockReason.valueOf(reason) : null,
				(awaiting != null) ? awaiting.toInstant() : null);
	}

	private static String marks(int count) {
		return String.join(",", Collections.nCopies(count, "?"));
	}

	private static String lower(String value) {
		return value.toLowerCase(Locale.ROOT);
	}

	private static Timestamp timestamp(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	/**
	 * One locked profile row, changed in memory and written back in a batch.
	 */
	private static final class Row {

		final long id;

		String username;

		String email;

		String firstName;

		String lastName;

		long areaId;

		final Pool originalPool;

		Pool pool;

		ProfileState state;

		BlockReason blockReason;

		Instant blockedAt;

		Instant awaitingSince;

		String dn;

		Row(ResultSet rs, int rowNum) throws SQLException {
			this.id = rs.getLong("id");
			this.username = rs.getString("username");
			this.email = rs.getString("email");
			this.firstName = rs.getString("first_name");
			this.lastName = rs.getString("last_name");
			this.areaId = rs.getLong("area_id");
			this.originalPool = Pool.valueOf(rs.getString("pool"));
			this.pool = this.originalPool;
			this.state = ProfileState.valueOf(rs.getString("state"));
			String reason = rs.getString("block_reason");
			this.blockReason = (reason != null) ? BlockReason.valueOf(reason) : null;
			Timestamp blocked = rs.getTimestamp("blocked_at");
			this.blockedAt = (blocked != null) ? blocked.toInstant() : null;
			Timestamp awaiting = rs.getTimestamp("awaiting_since");
			this.awaitingSince = (awaiting != null) ? awaiting.toInstant() : null;
			this.dn = rs.getString("directory_dn");
		}

		/**
		 * Active or awaiting: what a directory block changes. Blocked by an administrator
		 * or already by the directory: left as it is.
		 */
		boolean holdsDirectoryPlace() {
			return this.state == ProfileState.ACTIVE || this.blockReason == BlockReason.AWAITING_LICENSE;
		}

		boolean takeAttributes(DirectoryEntry entry, Area area, Instant now) {
			boolean changed = !this.username.equals(entry.username()) || !this.email.equals(entry.email())
					|| !this.firstName.equals(entry.firstName()) || !this.lastName.equals(entry.lastName())
					|| this.areaId != entry.areaId() || !entry.dn().equals(this.dn);
			this.username = entry.username();
			this.email = entry.email();
			this.firstName = entry.firstName();
			this.lastName = entry.lastName();
			this.areaId = area.id();
			this.pool = area.pool();
			this.dn = entry.dn();
			return changed;
		}

		/**
		 * Blocks with the reason {@code DIRECTORY}; an active profile gives back the
		 * licence of the pool it held.
		 */
		ProfileBlocked blockByDirectory(Instant now, Map<Pool, Integer> released, String actor, Area from) {
			boolean freed = this.state == ProfileState.ACTIVE;
			if (freed) {
				released.merge(this.originalPool, 1, Integer::sum);
				this.blockedAt = now;
			}
			else if (this.blockedAt == null) {
				this.blockedAt = now;
			}
			this.state = ProfileState.BLOCKED;
			this.blockReason = BlockReason.DIRECTORY;
			this.awaitingSince = null;
			return new ProfileBlocked(this.id, this.username, from.name(), this.originalPool, BlockReason.DIRECTORY,
					freed, actor);
		}

		void await(Instant now) {
			this.state = ProfileState.BLOCKED;
			this.blockReason = BlockReason.AWAITING_LICENSE;
			if (this.blockedAt == null) {
				this.blockedAt = now;
			}
			this.awaitingSince = now;
		}

	}

	/**
	 * Takes as many licences of the pool as are free, at most {@code wanted}. An expired
	 * licence has none to give to new activations: the profiles then wait, as they do for
	 * a full pool, and the run goes on.
	 */
	private int grant(Pool pool, int wanted) {
		if (wanted == 0 || this.licenses.expired()) {
			return 0;
		}
		return this.licenses.acquireUpTo(pool, wanted);
	}

}
