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

import io.seatkeeper.license.Pool;
import io.seatkeeper.people.DirectoryChanges.DirectoryError;
import io.seatkeeper.people.ProfileLedger.Admission;
import io.seatkeeper.people.ProfileLedger.Change;
import io.seatkeeper.people.ProfileLedger.Draft;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The profiles that come from the directory, changed in batches for the directory sync.
 * It decides what the directory asks for; {@link ProfileLedger}, the one writer, writes
 * it. Each method is one transaction: it locks the profiles' rows first, and the ledger
 * writes them and then passes the licence gate, pools in their declared order. A profile
 * blocked by an administrator is never made active here.
 */
@Service
public class DirectoryAccounts {

	private static final String ACCOUNT_COLUMNS = "p.id, p.directory_id, p.directory_dn, p.username, p.email, "
			+ "p.first_name, p.last_name, p.area_id, p.pool, p.state, p.block_reason, p.awaiting_since";

	private final JdbcTemplate jdbc;

	private final Areas areas;

	private final ProfileLedger ledger;

	private final TransactionTemplate transactions;

	DirectoryAccounts(DataSource dataSource, Areas areas, ProfileLedger ledger, TransactionTemplate transactions) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.areas = areas;
		this.ledger = ledger;
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
			List<Change> changes = new ArrayList<>(rows.size());
			int updated = 0;
			int blockedDisabled = 0;
			int blockedRemoved = 0;
			int moved = 0;
			for (Row row : rows) {
				DirectoryEntry entry = changed.get(row.id);
				Area from = areaById.get(row.areaId);
				if (entry == null) {
					if (row.holdsDirectoryPlace()) {
						changes
							.add(row.change(from, row.entry(), from, row.standing.blocked(BlockReason.DIRECTORY, now)));
						blockedRemoved++;
					}
					continue;
				}
				if (conflicts.contains(row.id)) {
					continue;
				}
				if (row.differs(entry)) {
					updated++;
				}
				if (entry.areaId() != row.areaId) {
					moved++;
				}
				Standing to = row.standing;
				if (row.standing.reason() == BlockReason.ADMINISTRATOR) {
					// Stays blocked whatever the directory says.
				}
				else if (!entry.enabled()) {
					if (row.holdsDirectoryPlace()) {
						to = row.standing.blocked(BlockReason.DIRECTORY, now);
						blockedDisabled++;
					}
				}
				else if (row.standing.reason() == BlockReason.DIRECTORY) {
					// Back in the directory: it waits its turn, and the queue is then
					// activated oldest first.
					to = row.standing.blocked(BlockReason.AWAITING_LICENSE, now);
				}
				changes.add(row.change(from, entry, areaById.get(entry.areaId()), to));
			}
			this.ledger.changeAll(changes, now, actor);
			return new DirectoryChanges(0, 0, 0, updated, blockedDisabled, blockedRemoved, moved, errors);
		});
	}

	/**
	 * Points profiles that the directory had removed at the new stable ids of their
	 * accounts, created again (rehires), in one transaction; audited, each with how it
	 * was matched ({@code username} or {@code email}). A profile not from the directory,
	 * or no longer blocked by the directory, is left alone.
	 * @param rematches the new stable id by profile id
	 * @param by how each was matched, by profile id
	 * @return how many it pointed at their new id
	 */
	public int rematch(Map<Long, String> rematches, Map<Long, String> by, String actor) {
		if (rematches.isEmpty()) {
			return 0;
		}
		return this.transactions.execute((status) -> {
			List<ProfileLedger.Rematch> done = new ArrayList<>();
			Map<Long, String> old = new HashMap<>();
			for (List<Long> chunk : SqlInList.chunks(rematches.keySet().stream().sorted().toList())) {
				this.jdbc.query(
						"select id, directory_id, username, block_reason from profile where source = 'DIRECTORY' "
								+ "and id in (" + SqlInList.placeholders(chunk.size()) + ") order by id for update",
						(rs) -> {
							if (BlockReason.DIRECTORY.name().equals(rs.getString("block_reason"))) {
								old.put(rs.getLong("id"),
										rs.getString("directory_id") + "\t" + rs.getString("username"));
							}
						}, chunk.toArray());
			}
			old.forEach((id, row) -> {
				String[] parts = row.split("\t", 2);
				done.add(new ProfileLedger.Rematch(id, parts[1], parts[0], rematches.get(id), by.get(id)));
			});
			this.ledger.rematch(done, Instant.now(), actor);
			return done.size();
		});
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
			List<Draft> drafts = new ArrayList<>();
			for (Pool pool : Pool.values()) {
				for (DirectoryEntry entry : byPool.getOrDefault(pool, List.of())) {
					drafts.add(new Draft(entry.username(), entry.email(), entry.firstName(), entry.lastName(),
							entry.areaId(), pool, ProfileSource.DIRECTORY, entry.directoryId(), entry.dn()));
				}
			}
			Map<Pool, Integer> granted = this.ledger.createAll(drafts, Admission.ACTIVE_OR_AWAITING, full, actor);
			int active = granted.values().stream().mapToInt(Integer::intValue).sum();
			return new DirectoryChanges(active, drafts.size() - active, 0, 0, 0, 0, 0, errors);
		});
	}

	private Map<Long, Area> areaById() {
		Map<Long, Area> byId = new HashMap<>();
		this.areas.findAllOrdered().forEach((area) -> byId.put(area.id(), area));
		return byId;
	}

	private Set<String> existing(String column, List<String> values) {
		Set<String> found = new HashSet<>();
		for (List<String> chunk : SqlInList.chunks(values)) {
			found.addAll(this.jdbc.queryForList("select " + column + " from profile where " + column + " in ("
					+ SqlInList.placeholders(chunk.size()) + ")", String.class, chunk.toArray()));
		}
		return found;
	}

	private List<Row> lock(List<Long> ids) {
		List<Row> rows = new ArrayList<>();
		for (List<Long> chunk : SqlInList.chunks(ids.stream().distinct().sorted().toList())) {
			rows.addAll(this.jdbc.query("select id, username, email, first_name, last_name, area_id, pool, state, "
					+ "block_reason, blocked_at, awaiting_since, directory_dn from profile where source = 'DIRECTORY' "
					+ "and id in (" + SqlInList.placeholders(chunk.size()) + ") order by id for update", Row::new,
					chunk.toArray()));
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

	private static DirectoryAccount account(ResultSet rs, int rowNum) throws SQLException {
		String reason = rs.getString("block_reason");
		Timestamp awaiting = rs.getTimestamp("awaiting_since");
		return new DirectoryAccount(rs.getLong("id"), rs.getString("directory_id"), rs.getString("directory_dn"),
				rs.getString("username"), rs.getString("email"), rs.getString("first_name"), rs.getString("last_name"),
				rs.getLong("area_id"), Pool.valueOf(rs.getString("pool")), ProfileState.valueOf(rs.getString("state")),
				(reason != null) ? BlockReason.valueOf(reason) : null,
				(awaiting != null) ? awaiting.toInstant() : null);
	}

	/**
	 * One locked profile row, as it is before the change.
	 */
	private static final class Row {

		final long id;

		final String username;

		final String email;

		final String firstName;

		final String lastName;

		final long areaId;

		final Pool pool;

		final Standing standing;

		final String dn;

		Row(ResultSet rs, int rowNum) throws SQLException {
			this.id = rs.getLong("id");
			this.username = rs.getString("username");
			this.email = rs.getString("email");
			this.firstName = rs.getString("first_name");
			this.lastName = rs.getString("last_name");
			this.areaId = rs.getLong("area_id");
			this.pool = Pool.valueOf(rs.getString("pool"));
			String reason = rs.getString("block_reason");
			Timestamp blocked = rs.getTimestamp("blocked_at");
			Timestamp awaiting = rs.getTimestamp("awaiting_since");
			this.standing = new Standing(ProfileState.valueOf(rs.getString("state")),
					(reason != null) ? BlockReason.valueOf(reason) : null,
					(blocked != null) ? blocked.toInstant() : null, (awaiting != null) ? awaiting.toInstant() : null);
			this.dn = rs.getString("directory_dn");
		}

		/**
		 * Active or awaiting: what a directory block changes. Blocked by an administrator
		 * or already by the directory: left as it is.
		 */
		boolean holdsDirectoryPlace() {
			return this.standing.isActive() || this.standing.isAwaiting();
		}

		boolean differs(DirectoryEntry entry) {
			return !this.username.equals(entry.username()) || !this.email.equals(entry.email())
					|| !this.firstName.equals(entry.firstName()) || !this.lastName.equals(entry.lastName())
					|| this.areaId != entry.areaId() || !entry.dn().equals(this.dn);
		}

		/**
		 * The row's own values, as an entry: a change that keeps them.
		 */
		DirectoryEntry entry() {
			return new DirectoryEntry(null, this.dn, this.username, this.email, this.firstName, this.lastName,
					this.areaId, true);
		}

		Change change(Area from, DirectoryEntry entry, Area to, Standing standing) {
			return new Change(this.id, from.name(), this.pool, this.standing, entry.username(), entry.email(),
					entry.firstName(), entry.lastName(), to.id(), to.name(), to.pool(), entry.dn(), standing);
		}

	}

}
