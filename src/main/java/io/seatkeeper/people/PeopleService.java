package io.seatkeeper.people;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.function.Supplier;

import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.license.LicenseService;
import io.seatkeeper.license.Pool;
import io.seatkeeper.license.PoolUsage;
import io.seatkeeper.people.ProfileLedger.Provision;
import io.seatkeeper.people.ProfileEvents.ProfilesExported;
import io.seatkeeper.people.export.ProfileExport;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Adds, blocks, reinstates, moves and deletes profiles: it decides what should change and
 * asks {@link ProfileLedger}, the one writer, which passes {@link LicenseService} in the
 * change's own transaction; a refusal rolls the change back, and is then recorded on its
 * own.
 */
@Service
public class PeopleService {

	private final Profiles profiles;

	private final Areas areas;

	private final ProfileSearch search;

	private final LicenseService licenses;

	private final PasswordEncoder passwordEncoder;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transactions;

	private final ProfileExport export;

	private final ProfileLedger ledger;

	private final AwaitingQueue queue;

	PeopleService(Profiles profiles, Areas areas, ProfileSearch search, LicenseService licenses,
			PasswordEncoder passwordEncoder, ApplicationEventPublisher events, TransactionTemplate transactions,
			ProfileExport export, ProfileLedger ledger, AwaitingQueue queue) {
		this.export = export;
		this.queue = queue;
		this.ledger = ledger;
		this.profiles = profiles;
		this.areas = areas;
		this.search = search;
		this.licenses = licenses;
		this.passwordEncoder = passwordEncoder;
		this.events = events;
		this.transactions = transactions;
	}

	/**
	 * Adds one active profile, taking a licence of its area's pool.
	 * @throws LicenseLimitExceeded if the pool is full; nothing is created
	 * @throws PeopleRefusal if a field is invalid, the username taken or the area unknown
	 */
	public ProfileView create(NewProfile request, String actor) {
		validate(request);
		String username = request.username().strip();
		try {
			return createActive("create", request, username, actor, (created) -> {
			});
		}
		catch (DataIntegrityViolationException ex) {
			// Another request took the username between the check and the insert.
			if (taken(username)) {
				throw new UsernameTaken(username);
			}
			throw ex;
		}
	}

	/**
	 * Adds one active profile for a first sign-in through another system (single
	 * sign-on), taking a licence of its area's pool, and runs {@code inSameTransaction}
	 * with the new profile in the same transaction: what it writes commits with the
	 * profile or not at all.
	 * @param operation the operation named in the audit log when the pool is full
	 * @throws LicenseLimitExceeded if the pool is full; nothing is created and the
	 * refusal is recorded
	 * @throws PeopleRefusal if a field is invalid, the username taken or the area unknown
	 */
	public ProfileView provision(NewProfile request, String operation, String actor,
			Consumer<ProfileView> inSameTransaction) {
		validate(request);
		return createActive(operation, request, request.username().strip(), actor, inSameTransaction);
	}

	/**
	 * Adds a profile for a path that may wait for a licence (single sign-on set to
	 * queue): active when its pool has a licence free and nobody awaits one there,
	 * otherwise blocked, awaiting a licence, at the end of the pool's one queue. Runs
	 * {@code inSameTransaction} with the new profile in the same transaction.
	 * @throws PeopleRefusal if a field is invalid, the username taken or the area unknown
	 */
	public ProfileView provisionOrQueue(NewProfile request, String actor, Consumer<ProfileView> inSameTransaction) {
		validate(request);
		String username = request.username().strip();
		return changed(() -> this.transactions.execute((status) -> {
			Area area = (request.areaId() != null)
					? this.areas.findById(request.areaId()).orElseThrow(() -> new AreaNotFound(request.areaId()))
					: this.areas.primary();
			if (this.profiles.existsByUsernameKey(Profile.usernameKey(username))) {
				throw new UsernameTaken(username);
			}
			Provision admission = (this.queue.countAwaiting(area.pool()) > 0) ? Provision.AWAITING
					: Provision.ACTIVE_OR_AWAITING;
			Profile profile = this.ledger.provision(Profile.active(username, request.email().strip(),
					clean(request.firstName()), clean(request.lastName()), area, request.source(), null), admission,
					actor);
			ProfileView created = profile.view();
			inSameTransaction.accept(created);
			return created;
		}));
	}

	private ProfileView createActive(String operation, NewProfile request, String username, String actor,
			Consumer<ProfileView> inSameTransaction) {
		return gated(operation, username, actor, () -> {
			Area area = (request.areaId() != null)
					? this.areas.findById(request.areaId()).orElseThrow(() -> new AreaNotFound(request.areaId()))
					: this.areas.primary();
			if (this.profiles.existsByUsernameKey(Profile.usernameKey(username))) {
				throw new UsernameTaken(username);
			}
			String hash = (request.password() != null && !request.password().isEmpty())
					? this.passwordEncoder.encode(request.password()) : null;
			Profile profile = this.ledger.create(Profile.active(username, request.email().strip(),
					clean(request.firstName()), clean(request.lastName()), area, request.source(), hash), actor);
			ProfileView created = profile.view();
			inSameTransaction.accept(created);
			return created;
		});
	}

	/**
	 * Blocks a profile; an active one gives its licence back at once. Always allowed,
	 * even when the pool is over its maximum. Blocking a profile that is already blocked
	 * by an administrator changes nothing.
	 */
	public ProfileView block(long id, String actor) {
		return changed(() -> this.transactions.execute((status) -> {
			Profile profile = this.profiles.lockProfile(id).orElseThrow(() -> new ProfileNotFound(id));
			if (profile.isBuiltIn()) {
				throw new BuiltInAdministratorProtected();
			}
			if (profile.blockReason() == BlockReason.ADMINISTRATOR) {
				return profile.view();
			}
			this.ledger.block(profile, BlockReason.ADMINISTRATOR, actor);
			return profile.view();
		}));
	}

	/**
	 * Makes a blocked profile active again, taking a licence of its pool.
	 * @throws LicenseLimitExceeded if the pool is full; the profile stays blocked
	 */
	public ProfileView reinstate(long id, String actor) {
		String username = usernameOf(id);
		return gated("reinstate", username, actor, () -> {
			Profile profile = this.profiles.lockProfile(id).orElseThrow(() -> new ProfileNotFound(id));
			if (profile.isActive()) {
				return profile.view();
			}
			this.ledger.activate(profile, actor);
			return profile.view();
		});
	}

	/**
	 * Moves a profile to another area. An active profile moving into another pool takes
	 * one of its licences and gives back its old one; moving out of a pool, or within
	 * one, always works.
	 * @throws LicenseLimitExceeded if the target pool is full; the profile stays where it
	 * is
	 */
	public ProfileView move(long id, long areaId, String actor) {
		String username = usernameOf(id);
		return gated("move", username, actor, () -> {
			Profile profile = this.profiles.lockProfile(id).orElseThrow(() -> new ProfileNotFound(id));
			if (profile.isBuiltIn()) {
				throw new BuiltInAdministratorProtected();
			}
			Area target = this.areas.findById(areaId).orElseThrow(() -> new AreaNotFound(areaId));
			Area source = profile.area();
			if (source.id().equals(target.id())) {
				return profile.view();
			}
			this.ledger.move(profile, target, actor);
			return profile.view();
		});
	}

	/**
	 * Deletes a profile and all its data, permanently, once the confirmation repeats its
	 * username (ignoring case). An active profile gives its licence back.
	 */
	public void delete(long id, String confirmation, String actor) {
		changed(() -> this.transactions.execute((status) -> {
			Profile profile = this.profiles.lockProfile(id).orElseThrow(() -> new ProfileNotFound(id));
			if (profile.isBuiltIn()) {
				throw new BuiltInAdministratorProtected();
			}
			if (confirmation == null
					|| !Profile.usernameKey(confirmation).equals(Profile.usernameKey(profile.username()))) {
				throw new DeletionNotConfirmed(profile.username());
			}
			this.ledger.delete(profile, actor);
			return null;
		}));
	}

	/**
	 * What blocking these profiles would do: how many would be blocked, and how many
	 * licences of each pool it would free. Changes nothing.
	 */
	public BulkBlock previewBlock(List<Long> ids) {
		return this.transactions.execute((status) -> {
			BulkBlock preview = BulkBlock.none();
			for (List<Long> chunk : SqlInList.chunks(ids.stream().distinct().toList())) {
				for (Profile profile : this.profiles.findAllById(chunk)) {
					preview = preview.plus(profile);
				}
			}
			return preview;
		});
	}

	/**
	 * Blocks the profiles (by an administrator), a thousand per transaction, and frees
	 * their licences; the built-in administrator and profiles already blocked by an
	 * administrator are left as they are. Always allowed, even over the maximum.
	 */
	public BulkBlock blockAll(List<Long> ids, String actor) {
		BulkBlock done = BulkBlock.none();
		for (List<Long> chunk : SqlInList.chunks(ids.stream().distinct().toList())) {
			done = done.and(changed(() -> this.transactions.execute((status) -> this.ledger
				.blockAll(this.profiles.lockProfiles(chunk), BlockReason.ADMINISTRATOR, actor))));
		}
		return done;
	}

	/**
	 * The ids of every profile that matches the query's filters, whatever the page.
	 */
	public List<Long> matching(ProfileQuery query) {
		return this.search.ids(query);
	}

	/**
	 * Gives or takes the roles {@code SYSADMIN} and {@code PEOPLE_ADMIN}. The built-in
	 * administrator keeps both.
	 */
	public ProfileView changeRoles(long id, boolean sysadmin, boolean peopleAdmin, String actor) {
		return changed(() -> this.transactions.execute((status) -> {
			Profile profile = this.profiles.lockProfile(id).orElseThrow(() -> new ProfileNotFound(id));
			if (profile.isBuiltIn()) {
				throw new BuiltInAdministratorProtected();
			}
			this.ledger.changeRoles(profile, sysadmin, peopleAdmin, actor);
			return profile.view();
		}));
	}

	/**
	 * Marks a profile "never reclaim" (the reclaim job never blocks it, however long it
	 * does not sign in), or takes the mark off; audited when it changes.
	 */
	public ProfileView changeReclaimExemption(long id, boolean neverReclaim, String actor) {
		return changed(() -> this.transactions.execute((status) -> {
			Profile profile = this.profiles.lockProfile(id).orElseThrow(() -> new ProfileNotFound(id));
			if (profile.isBuiltIn()) {
				throw new BuiltInAdministratorProtected();
			}
			this.ledger.changeReclaimExemption(profile, neverReclaim, actor);
			return profile.view();
		}));
	}

	/**
	 * Changes a profile's e-mail address and names; a {@code null} value is kept as it
	 * is. Records what changed (nothing is recorded when nothing changed).
	 * @throws PeopleRefusal if a value is invalid; nothing is changed
	 * @throws ProfileNotFound if there is no such profile
	 */
	public ProfileView changeDetails(long id, String email, String firstName, String lastName, String actor) {
		if (email != null && (email.isBlank() || !ProfileRules.validEmail(email.strip()))) {
			throw new InvalidProfileField("email",
					email.isBlank() ? "profile.email.required" : "profile.email.invalid");
		}
		if (firstName != null && !ProfileRules.validName(clean(firstName))) {
			throw new InvalidProfileField("firstName", "profile.name.invalid");
		}
		if (lastName != null && !ProfileRules.validName(clean(lastName))) {
			throw new InvalidProfileField("lastName", "profile.name.invalid");
		}
		return changed(() -> this.transactions.execute((status) -> {
			Profile profile = this.profiles.lockProfile(id).orElseThrow(() -> new ProfileNotFound(id));
			ProfileView now = profile.view();
			this.ledger.changeDetails(profile, (email != null) ? email.strip() : now.email(),
					(firstName != null) ? clean(firstName) : now.firstName(),
					(lastName != null) ? clean(lastName) : now.lastName(), actor);
			return profile.view();
		}));
	}

	/**
	 * One profile.
	 * @throws ProfileNotFound if there is none with that id
	 */
	public ProfileView get(long id) {
		return find(id).orElseThrow(() -> new ProfileNotFound(id));
	}

	/**
	 * One profile, if it exists.
	 */
	public Optional<ProfileView> find(long id) {
		return this.transactions.execute((status) -> this.profiles.findById(id).map(Profile::view));
	}

	/**
	 * One profile by username, ignoring case, if it exists.
	 */
	public Optional<ProfileView> findByUsername(String username) {
		return this.transactions
			.execute((status) -> this.profiles.findByUsernameKey(Profile.usernameKey(username)).map(Profile::view));
	}

	/**
	 * One page of the people list.
	 */
	public ProfileSlice search(ProfileQuery query) {
		return this.search.search(query);
	}

	/**
	 * How many profiles match the query's filters (its page is not used), counted up to
	 * {@code cap} at most: a result of {@code cap} means "{@code cap} or more".
	 * @param cap where counting stops, at least 1
	 */
	public long countUpTo(ProfileQuery query, int cap) {
		return this.search.countUpTo(query, Math.max(1, cap));
	}

	/**
	 * One page of the profiles that match the query's filters, in id order, starting
	 * after the profile {@code afterId} ({@code null} for the first page); the query's
	 * {@code after} and {@code size} are not used.
	 * @param limit how many profiles the page holds at most, from 1 to
	 * {@link ProfilePage#MAX_LIMIT}
	 */
	public ProfilePage pageById(ProfileQuery query, Long afterId, int limit) {
		return this.search.pageById(query, afterId, Math.max(1, Math.min(limit, ProfilePage.MAX_LIMIT)));
	}

	/**
	 * Streams every profile that matches the request to the writer as CSV, then records
	 * the export in the audit log. Returns how many profiles it wrote.
	 * @param channel how the export was asked for ({@code console} or {@code api})
	 */
	public long export(ExportRequest request, Locale locale, Writer out, String channel, String actor)
			throws IOException {
		long rows = this.export.write(request, locale, out);
		exported(request, rows, channel, actor);
		return rows;
	}

	/**
	 * Streams every profile that matches the request to the stream as CSV in UTF-8 (the
	 * header at once, then the rows as the database gives them), then records the export
	 * in the audit log. Returns how many profiles it wrote.
	 * @param channel how the export was asked for ({@code console} or {@code api})
	 */
	public long export(ExportRequest request, Locale locale, OutputStream out, String channel, String actor)
			throws IOException {
		long rows = this.export.write(request, locale, out);
		exported(request, rows, channel, actor);
		return rows;
	}

	private void exported(ExportRequest request, long rows, String channel, String actor) {
		String area = (request.areaId() != null) ? this.areas.findById(request.areaId()).map(Area::name).orElse("?")
				: "all";
		String state = (request.state() != null) ? request.state().name() : "all";
		String columns = request.orderedColumns().stream().map(Enum::name).collect(Collectors.joining(" "));
		this.transactions.executeWithoutResult(
				(status) -> this.events.publishEvent(new ProfilesExported(columns, area, state, rows, channel, actor)));
	}

	/**
	 * The counts of the system summary: the active ones from the pools' counters, which
	 * the gate keeps equal to the rows (R4) and which never count the built-in
	 * administrator, the blocked and awaiting ones counted on their indexes; none of them
	 * reads every profile.
	 */
	public PeopleTotals totals() {
		return this.transactions.execute((status) -> {
			List<PoolUsage> pools = this.licenses.usage();
			long activePrimary = 0;
			long activeExtranet = 0;
			long awaiting = 0;
			for (PoolUsage pool : pools) {
				if (pool.pool() == Pool.PRIMARY) {
					activePrimary = pool.active();
				}
				else {
					activeExtranet = pool.active();
				}
				awaiting += pool.awaiting();
			}
			return new PeopleTotals(activePrimary, activeExtranet, this.profiles.countBlocked(), awaiting);
		});
	}

	private boolean taken(String username) {
		return Boolean.TRUE.equals(this.transactions
			.execute((status) -> this.profiles.existsByUsernameKey(Profile.usernameKey(username))));
	}

	private String usernameOf(long id) {
		return find(id).map(ProfileView::username).orElseThrow(() -> new ProfileNotFound(id));
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

	private static void validate(NewProfile request) {
		if (request.username() == null || request.username().isBlank()) {
			throw new InvalidProfileField("username", "profile.username.required");
		}
		if (!ProfileRules.validUsername(request.username().strip())) {
			throw new InvalidProfileField("username", "profile.username.invalid");
		}
		if (request.email() == null || request.email().isBlank()) {
			throw new InvalidProfileField("email", "profile.email.required");
		}
		if (!ProfileRules.validEmail(request.email().strip())) {
			throw new InvalidProfileField("email", "profile.email.invalid");
		}
		if (!ProfileRules.validName(clean(request.firstName()))) {
			throw new InvalidProfileField("firstName", "profile.name.invalid");
		}
		if (!ProfileRules.validName(clean(request.lastName()))) {
			throw new InvalidProfileField("lastName", "profile.name.invalid");
		}
		if (request.password() != null && !request.password().isEmpty()
				&& (request.password().length() < ProfileRules.PASSWORD_MIN
						|| !ProfileRules.passwordFits(request.password()))) {
			throw new InvalidProfileField("password", "profile.password.invalid");
		}
	}

	private static String clean(String name) {
		return (name != null) ? name.strip() : "";
	}

}
