package io.seatkeeper.people;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.license.LicenseService;
import io.seatkeeper.license.Pool;
import io.seatkeeper.people.ProfileLedger.Provision;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The profiles that SCIM clients (identity providers such as Entra ID or Okta) create and
 * change, one user at a time. It decides what the client asks for; {@link ProfileLedger},
 * the one writer, writes it and passes the licence gate in the same transaction, the
 * profile's row locked first. A profile blocked by an administrator is never made active
 * here. Each method runs in the caller's transaction when there is one (a SCIM group
 * change places all its members at once), else in one of its own.
 */
@Service
public class ProvisionedAccounts {

	private static final String COLUMNS = "p.id, p.username, p.email, p.first_name, p.last_name, p.external_id, "
			+ "p.area_id, a.name area_name, p.pool, p.state, p.block_reason, p.created_at, p.updated_at, p.version, "
			+ "p.awaiting_since";

	private static final String VISIBLE = " from profile p join area a on a.id = p.area_id "
			+ "where p.source = 'SCIM' and p.deprovisioned_at is null";

	private final Profiles profiles;

	private final Areas areas;

	private final ProfileLedger ledger;

	private final LicenseService licenses;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final AwaitingQueue queue;

	ProvisionedAccounts(Profiles profiles, Areas areas, ProfileLedger ledger, LicenseService licenses,
			DataSource dataSource, TransactionTemplate transactions, AwaitingQueue queue) {
		this.profiles = profiles;
		this.areas = areas;
		this.ledger = ledger;
		this.licenses = licenses;
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = transactions;
		this.queue = queue;
	}

	/**
	 * Creates a profile in the Primary Area (a group mapping moves it later): active when
	 * the client wants it active and the pool has a licence; when the pool is full,
	 * awaiting one at the end of its queue ({@code queueWhenFull}) or refused. It also
	 * waits when older SCIM profiles await a licence of the pool, so that none is
	 * overtaken. A profile that the client deleted earlier and that was kept, blocked, is
	 * taken back under the same username, in the Primary Area (it left its groups).
	 * @throws LicenseLimitExceeded when the pool is full and {@code queueWhenFull} is
	 * false; nothing is created and the refusal is recorded
	 * @throws PeopleRefusal when a value is invalid, or the username or external id taken
	 */
	public ProvisionedAccount create(ProvisionedUser user, boolean queueWhenFull, String actor) {
		ProvisionedUser clean = validate(user);
		try {
			long id = gated("scim.create", clean.username(), actor, () -> {
				Optional<Profile> existing = this.profiles.findByUsernameKey(Profile.usernameKey(clean.username()));
				if (existing.isPresent()) {
					Profile kept = this.profiles.lockProfile(existing.get().id()).orElseThrow();
					if (kept.source() != ProfileSource.SCIM) {
						throw new NotProvisioned(clean.username());
					}
					if (kept.deprovisionedAt() == null) {
						throw new UsernameTaken(clean.username());
					}
					checkExternalId(clean.externalId(), kept.id());
					Area primary = this.areas.primary();
					if (!kept.area().id().equals(primary.id())) {
						// It left its groups when it was deleted: back to the Primary
						// Area.
						if (queueWhenFull) {
							this.ledger.moveOrAwait(kept, primary, actor);
						}
						else {
							this.ledger.move(kept, primary, actor);
						}
					}
					apply(kept, clean, queueWhenFull, actor);
					return kept.id();
				}
				checkExternalId(clean.externalId(), null);
				Area primary = this.areas.primary();
				Profile profile = Profile.active(clean.username(), clean.email(), clean.firstName(), clean.lastName(),
						primary, ProfileSource.SCIM, null);
				profile.provisioned(clean.username(), clean.email(), clean.firstName(), clean.lastName(),
						clean.externalId());
				Provision admission;
				if (!clean.active()) {
					admission = Provision.INACTIVE;
				}
				else if (!queueWhenFull) {
					admission = Provision.ACTIVE_OR_REFUSED;
				}
				else {
					admission = (countAwaiting(primary.pool()) > 0) ? Provision.AWAITING : Provision.ACTIVE_OR_AWAITING;
				}
				return this.ledger.provision(profile, admission, actor).id();
			});
			return activatedMeanwhile(id, actor);
		}
		catch (DataIntegrityViolationException ex) {
			// Another request took the username or the external id between the check and
			// the insert.
			if (this.profiles.existsByUsernameKey(Profile.usernameKey(clean.username()))) {
				throw new UsernameTaken(clean.username());
			}
			if (clean.externalId() != null && externalIdOwner(clean.externalId()).isPresent()) {
				throw new ExternalIdTaken(clean.externalId());
			}
			throw ex;
		}
	}

	/**
	 * Replaces the values of a provisioned profile, and where it stands as {@code active}
	 * says: {@code false} blocks it (reason {@code PROVISIONING}) and frees its licence;
	 * {@code true} reinstates it through the gate, or leaves it awaiting a licence
	 * ({@code queueWhenFull}) or refuses. A profile blocked by an administrator stays
	 * blocked.
	 * @throws ProfileNotFound when no provisioned profile has that id
	 * @throws LicenseLimitExceeded when it should become active, the pool is full and
	 * {@code queueWhenFull} is false; nothing is changed and the refusal is recorded
	 */
	public ProvisionedAccount update(long id, ProvisionedUser user, boolean queueWhenFull, String actor) {
		ProvisionedUser clean = validate(user);
		try {
			gated("scim.update", clean.username(), actor, () -> {
				Profile profile = lockVisible(id);
				if (!Profile.usernameKey(profile.username()).equals(Profile.usernameKey(clean.username()))
						&& this.profiles.existsByUsernameKey(Profile.usernameKey(clean.username()))) {
					throw new UsernameTaken(clean.username());
				}
				checkExternalId(clean.externalId(), id);
				apply(profile, clean, queueWhenFull, actor);
				return id;
			});
		}
		catch (DataIntegrityViolationException ex) {
			if (clean.externalId() != null
					&& externalIdOwner(clean.externalId()).filter((owner) -> owner != id).isPresent()) {
				throw new ExternalIdTaken(clean.externalId());
			}
			throw new UsernameTaken(clean.username());
		}
		return activatedMeanwhile(id, actor);
	}

	/**
	 * Deletes a provisioned profile ({@code keep} false), freeing its licence, or keeps
	 * it blocked (reason {@code PROVISIONING}, or an administrator's block) and hidden
	 * from the client.
	 * @throws ProfileNotFound when no provisioned profile has that id
	 */
	public void delete(long id, boolean keep, String actor) {
		changed(() -> this.transactions.execute((status) -> {
			Profile profile = lockVisible(id);
			if (keep) {
				this.ledger.deprovision(profile, actor);
			}
			else {
				this.ledger.delete(profile, actor);
			}
			return null;
		}));
	}

	/**
	 * Moves provisioned profiles to the areas given (by profile id), in id order; an
	 * active one moving into another pool takes one of its licences through the gate, or,
	 * when that pool is full, awaits one ({@code queueWhenFull}) or is refused. Profiles
	 * already there, and ids that are no provisioned profile, are left alone.
	 * @throws LicenseLimitExceeded when a pool is full and {@code queueWhenFull} is
	 * false; nothing is changed
	 */
	public void place(Map<Long, Long> areaByProfile, boolean queueWhenFull, String actor) {
		if (areaByProfile.isEmpty()) {
			return;
		}
		changed(() -> this.transactions.execute((status) -> {
			List<Long> ids = areaByProfile.keySet().stream().sorted().toList();
			for (Profile profile : this.profiles.lockProfiles(ids)) {
				if (profile.source() != ProfileSource.SCIM || profile.isBuiltIn()) {
					continue;
				}
				long areaId = areaByProfile.get(profile.id());
				if (profile.area().id() == areaId) {
					continue;
				}
				Area target = this.areas.findById(areaId).orElseThrow(() -> new AreaNotFound(areaId));
				if (queueWhenFull) {
					this.ledger.moveOrAwait(profile, target, actor);
				}
				else {
					this.ledger.move(profile, target, actor);
				}
			}
			return null;
		}));
	}

	/**
	 * How many profiles await a licence of the pool, from every path: a SCIM user that
	 * should be active waits behind them.
	 */
	private int countAwaiting(Pool pool) {
		return this.queue.countAwaiting(pool);
	}

	/**
	 * The provisioned profile with that id, unless its client deleted it.
	 */
	public Optional<ProvisionedAccount> find(long id) {
		return accounts("select " + COLUMNS + VISIBLE + " and p.id = ?", id).stream().findFirst();
	}

	/**
	 * The provisioned profiles, in id order, narrowed by those values that are not
	 * {@code null}: a username (ignoring case), an external id (exact), an e-mail address
	 * (ignoring case).
	 */
	public List<ProvisionedAccount> find(String username, String externalId, String email) {
		StringBuilder sql = new StringBuilder("select " + COLUMNS + VISIBLE);
		List<Object> arguments = new ArrayList<>();
		if (username != null) {
			sql.append(" and p.username_key = ?");
			arguments.add(Profile.usernameKey(username));
		}
		if (externalId != null) {
			sql.append(" and p.external_id = ?");
			arguments.add(externalId);
		}
		if (email != null) {
			sql.append(" and p.email_key = ?");
			arguments.add(email.toLowerCase(Locale.ROOT));
		}
		sql.append(" order by p.id");
		return accounts(sql.toString(), arguments.toArray());
	}

	/**
	 * How many provisioned profiles their client sees.
	 */
	public int count() {
		return this.jdbc.queryForObject("select count(*)" + VISIBLE, Integer.class);
	}

	/**
	 * A page of the provisioned profiles, in id order: {@code limit} of them after the
	 * first {@code offset}.
	 */
	public List<ProvisionedAccount> page(int offset, int limit) {
		return accounts("select " + COLUMNS + VISIBLE + " order by p.id offset ? rows fetch next ? rows only", offset,
				limit);
	}

	/**
	 * Which of the ids are provisioned profiles that their client still sees.
	 */
	public List<Long> visible(List<Long> ids) {
		List<Long> found = new ArrayList<>();
		for (List<Long> chunk : SqlInList.chunks(ids.stream().distinct().sorted().toList())) {
			found.addAll(this.jdbc.queryForList("select p.id" + VISIBLE + " and p.id in ("
					+ SqlInList.placeholders(chunk.size()) + ") order by p.id", Long.class, chunk.toArray()));
		}
		return found;
	}

	private void apply(Profile profile, ProvisionedUser user, boolean queueWhenFull, String actor) {
		this.ledger.changeAttributes(profile, user.username(), user.email(), user.firstName(), user.lastName(),
				user.externalId(), actor);
		Standing standing = profile.standing();
		if (!user.active()) {
			if (standing.isActive() || standing.isAwaiting()) {
				this.ledger.block(profile, BlockReason.PROVISIONING, actor);
			}
			return;
		}
		if (standing.isActive() || standing.isAwaiting() || standing.reason() == BlockReason.ADMINISTRATOR
				|| standing.reason() == BlockReason.DIRECTORY || standing.reason() == BlockReason.DORMANT) {
			// Active or in the queue already; an administrator's block stays, and a
			// dormant profile comes back by signing in, not by its client's next update.
			return;
		}
		if (!queueWhenFull) {
			this.ledger.activate(profile, actor);
		}
		else {
			this.ledger.activateOrAwait(profile, countAwaiting(profile.pool()) > 0, actor);
		}
	}

	/**
	 * A profile that was queued behind older ones: the queue of its pool is activated
	 * (oldest first) when licences are free, and the profile read again.
	 */
	private ProvisionedAccount activatedMeanwhile(long id, String actor) {
		ProvisionedAccount account = find(id).orElseThrow(() -> new ProfileNotFound(id));
		if (account.awaiting() && this.licenses.available(account.pool()) > 0) {
			this.queue.activate(account.pool(), 1000, actor);
			account = find(id).orElseThrow(() -> new ProfileNotFound(id));
		}
		return account;
	}

	private Profile lockVisible(long id) {
		Profile profile = this.profiles.lockProfile(id).orElseThrow(() -> new ProfileNotFound(id));
		if (profile.source() != ProfileSource.SCIM || profile.deprovisionedAt() != null) {
			throw new ProfileNotFound(id);
		}
		return profile;
	}

	private void checkExternalId(String externalId, Long self) {
		if (externalId != null && externalIdOwner(externalId).filter((owner) -> !owner.equals(self)).isPresent()) {
			throw new ExternalIdTaken(externalId);
		}
	}

	private Optional<Long> externalIdOwner(String externalId) {
		return this.jdbc.queryForList("select id from profile where external_id = ?", Long.class, externalId)
			.stream()
			.findFirst();
	}

	private <T> T gated(String operation, String subject, String actor, Supplier<T> change) {
		try {
			return changed(() -> this.transactions.execute((status) -> change.get()));
		}
		catch (LicenseLimitExceeded refusal) {
			this.licenses.recordRefusal(refusal, operation, subject, actor);
			throw refusal;
		}
	}

	private <T> T changed(Supplier<T> change) {
		try {
			return change.get();
		}
		catch (OptimisticLockingFailureException ex) {
			throw new ProfileChangedMeanwhile(String.valueOf(ex.getMessage()));
		}
	}

	private static ProvisionedUser validate(ProvisionedUser user) {
		String username = (user.username() != null) ? user.username().strip() : null;
		if (username == null || username.isEmpty()) {
			throw new InvalidProfileField("userName", "profile.username.required");
		}
		if (!ProfileRules.validUsername(username)) {
			throw new InvalidProfileField("userName", "profile.username.invalid");
		}
		String email = (user.email() != null) ? user.email().strip() : null;
		if (email == null || email.isEmpty()) {
			throw new InvalidProfileField("emails", "profile.email.required");
		}
		if (!ProfileRules.validEmail(email)) {
			throw new InvalidProfileField("emails", "profile.email.invalid");
		}
		String firstName = (user.firstName() != null) ? user.firstName().strip() : "";
		String lastName = (user.lastName() != null) ? user.lastName().strip() : "";
		if (!ProfileRules.validName(firstName) || !ProfileRules.validName(lastName)) {
			throw new InvalidProfileField("name", "profile.name.invalid");
		}
		String externalId = (user.externalId() != null && !user.externalId().isBlank()) ? user.externalId() : null;
		if (externalId != null && externalId.length() > ProvisionedUser.EXTERNAL_ID_MAX) {
			throw new InvalidProfileField("externalId", "profile.externalId.invalid");
		}
		return new ProvisionedUser(username, email, firstName, lastName, externalId, user.active());
	}

	/**
	 * The rows read, then each awaiting one's place in its pool's queue: asked once the
	 * first query is done, so that no request ever holds two connections.
	 */
	private List<ProvisionedAccount> accounts(String sql, Object... arguments) {
		List<Row> rows = this.jdbc.query(sql, ProvisionedAccounts::row, arguments);
		List<ProvisionedAccount> accounts = new ArrayList<>(rows.size());
		for (Row row : rows) {
			ProvisionedAccount account = row.account();
			if (account.awaiting() && row.awaitingSince() != null) {
				int position = this.jdbc.queryForObject(
						"select count(*) from profile where pool = ? "
								+ "and state = 'BLOCKED' and block_reason = 'AWAITING_LICENSE' "
								+ "and (awaiting_since < ? or (awaiting_since = ? and id <= ?))",
						Integer.class, account.pool().name(), row.awaitingSince(), row.awaitingSince(), account.id());
				account = row.account(position);
			}
			accounts.add(account);
		}
		return accounts;
	}

	private static Row row(ResultSet rs, int rowNum) throws SQLException {
		String reason = rs.getString("block_reason");
		ProvisionedAccount account = new ProvisionedAccount(rs.getLong("id"), rs.getString("username"),
				rs.getString("email"), rs.getString("first_name"), rs.getString("last_name"),
				rs.getString("external_id"), rs.getLong("area_id"), rs.getString("area_name"),
				Pool.valueOf(rs.getString("pool")), ProfileState.valueOf(rs.getString("state")),
				(reason != null) ? BlockReason.valueOf(reason) : null, instant(rs.getTimestamp("created_at")),
				instant(rs.getTimestamp("updated_at")), rs.getLong("version"), null);
		return new Row(account, rs.getTimestamp("awaiting_since"));
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private record Row(ProvisionedAccount account, Timestamp awaitingSince) {

		ProvisionedAccount account(int position) {
			ProvisionedAccount a = this.account;
			return new ProvisionedAccount(a.id(), a.username(), a.email(), a.firstName(), a.lastName(), a.externalId(),
					a.areaId(), a.area(), a.pool(), a.state(), a.blockReason(), a.createdAt(), a.updatedAt(),
					a.version(), position);
		}

	}

}
