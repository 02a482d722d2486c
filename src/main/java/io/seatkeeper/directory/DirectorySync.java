package io.seatkeeper.directory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;

import io.seatkeeper.directory.AreaMapping.InvalidMapping;
import io.seatkeeper.directory.DirectoryEvents.DirectoryRunFinished;
import io.seatkeeper.directory.DirectoryReader.UpdateMarks;
import io.seatkeeper.directory.DirectoryRuns.Baseline;
import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.license.LicenseService;
import io.seatkeeper.license.Pool;
import io.seatkeeper.license.PoolUsage;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.AwaitingQueue;
import io.seatkeeper.people.AreaView;
import io.seatkeeper.people.DirectoryAccount;
import io.seatkeeper.people.DirectoryAccounts;
import io.seatkeeper.people.DirectoryEntry;
import io.seatkeeper.people.jobs.JobHeartbeat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One sync run: reads every entry in scope first (paged), then plans, checks the safety
 * rules, and only then applies, a chunk of profiles per transaction, each through the
 * licence gate. A directory that cannot be read changes nothing; a run that would block
 * more than the allowed share of the profiles it manages, or a directory that returns no
 * entry, stops for a sysadmin's confirmation and changes nothing.
 */
@Component
class DirectorySync implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(DirectorySync.class);

	private final DirectoryReader reader;

	private final DirectorySettingsStore settings;

	private final DirectoryRuns runs;

	private final DirectoryAccounts accounts;

	private final AwaitingQueue queue;

	private final AreaService areas;

	private final LicenseService licenses;

	private final DirectoryProperties properties;

	private final ApplicationEventPublisher events;

	private final JobHeartbeat heartbeat;

	private final TransactionTemplate transactions;

	private final DirectoryExclusions exclusions;

	private final DirectoryRunReaper reaper;

	private final ExecutorService executor = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "directory-sync");
		thread.setDaemon(true);
		return thread;
	});

	DirectorySync(DirectoryReader reader, DirectorySettingsStore settings, DirectoryRuns runs,
			DirectoryAccounts accounts, AreaService areas, LicenseService licenses, DirectoryProperties properties,
			ApplicationEventPublisher events, JobHeartbeat heartbeat, TransactionTemplate transactions,
			DirectoryExclusions exclusions, AwaitingQueue queue, DirectoryRunReaper reaper) {
		this.reaper = reaper;
		this.reader = reader;
		this.settings = settings;
		this.runs = runs;
		this.accounts = accounts;
		this.areas = areas;
		this.licenses = licenses;
		this.properties = properties;
		this.events = events;
		this.heartbeat = heartbeat;
		this.transactions = transactions;
		this.exclusions = exclusions;
		this.queue = queue;
	}

	/**
	 * What a run would do now, changing nothing: the same read and plan as a run, then
	 * the same apply in one transaction that is rolled back (profile rows, pool counters,
	 * audit lines, mail outbox and event publications with it), so that its counts are
	 * those of a run. It keeps no run row; it holds the run lock only while it applies
	 * and rolls back, not while it reads. A preview that a run would stop for (too many
	 * blocks, an empty directory) says so in its state and still shows what a confirmed
	 * run would do.
	 * @throws RunInProgress if a run is applying meanwhile
	 */
	DirectoryRunView preview(String actor) {
		// As long as a run's id (the lock's column), and never one.
		String id = "preview-" + UUID.randomUUID().toString().replace("-", "").substring(0, 28);
		Instant started = Instant.now();
		RunReport report = new RunReport();
		DirectorySettings current = this.settings.current();
		if (!current.configured()) {
			return previewView(id, actor, started, DirectoryRunView.FAILED, report, "directory.run.notConfigured",
					null);
		}
		AreaMapping mapping;
		try {
			mapping = AreaMapping.parse(current.areaMapping(), areaIds());
		}
		catch (InvalidMapping ex) {
			return previewView(id, actor, started, DirectoryRunView.FAILED, report, "directory.run.badMapping", null);
		}
		List<DirectoryRecord> records;
		int[] read = { 0 };
		try {
			records = this.reader.readAll(current, (count) -> read[0] = count);
		}
		catch (RuntimeException ex) {
			DirectoryFailure failure = DirectoryFailure.of(ex, current);
			report.entriesRead(read[0]);
			return previewView(id, actor, started, DirectoryRunView.FAILED, report, failure.code(), failure.detail());
		}
		report.entriesRead(records.size());
		if (!this.runs.lock(id, this.properties.lockTimeout())) {
			throw new RunInProgress();
		}
		String state = DirectoryRunView.DONE;
		String message = null;
		try {
			// A preview reads every entry in scope, as a full sync does.
			Plan plan = plan(records, mapping, this.accounts.accounts(), report, false);
			report.wouldBlock(plan.blocks);
			report.managed(plan.managed);
			report.unchanged(plan.unchanged);
			if (plan.managed > 0) {
				if (plan.inScope == 0) {
					state = DirectoryRunView.NEEDS_CONFIRMATION;
					message = "directory.run.empty";
				}
				else if ((long) plan.blocks * 100 > (long) current.maxBlockPercent() * plan.managed) {
					state = DirectoryRunView.NEEDS_CONFIRMATION;
					message = "directory.run.tooManyBlocks";
				}
			}
			this.transactions.executeWithoutResult((status) -> {
				status.setRollbackOnly();
				apply(id, plan, report, actor, false);
			});
		}
		finally {
			this.runs.unlock(id);
		}
		logger.info("Directory sync previewed by {}: {} entries read", actor, report.entriesRead());
		return previewView(id, actor, started, state, report, message, null);
	}

	private DirectoryRunView previewView(String id, String actor, Instant started, String state, RunReport report,
			String code, String detail) {
		return new DirectoryRunView(id, state, null, actor, started, Instant.now(), report.entriesRead(), 0, 0,
				report.createdActive(), report.createdAwaiting(), report.activated(), report.updated(),
				report.blockedDisabled(), report.blockedRemoved(), report.unchanged(), report.leftAwaiting(),
				report.wouldBlock(), report.managed(), report.excludedCount(), report.rehired(), report.moved(),
				report.errors().size(), report.errors().subList(0, Math.min(200, report.errors().size())),
				this.runs.text(code, detail, report.wouldBlock(), report.managed()), code, detail, null,
				DirectoryRunView.FULL);
	}

	/**
	 * Starts a run in the background and gives its id; empty when a run is going on
	 * already, on this node or another.
	 */
	Optional<String> start(String actor) {
		return start(actor, null);
	}

	/**
	 * Starts a run of the given mode ({@code FULL}, {@code DELTA}, or null: a delta when
	 * it can be trusted, else full) in the background and gives its id; empty when a run
	 * is going on already. A delta that cannot be trusted runs full.
	 */
	Optional<String> start(String actor, String mode) {
		String id = begin(actor);
		if (id == null) {
			return Optional.empty();
		}
		this.executor.execute(() -> execute(id, actor, false, mode));
		return Optional.of(id);
	}

	/**
	 * Runs a sync in the calling thread and gives its report; empty when a run is going
	 * on already.
	 */
	Optional<DirectoryRunView> runNow(String actor) {
		return runNow(actor, null);
	}

	/**
	 * Runs a sync of the given mode (as {@link #start(String, String)}) in the calling
	 * thread and gives its report; empty when a run is going on already.
	 */
	Optional<DirectoryRunView> runNow(String actor, String mode) {
		String id = begin(actor);
		if (id == null) {
			return Optional.empty();
		}
		execute(id, actor, false, mode);
		return this.runs.find(id);
	}

	/**
	 * Carries out a run that stopped for confirmation, in the background: it reads the
	 * directory again and applies what it finds, however many profiles that blocks.
	 * @throws RunNotWaiting if the run does not wait for confirmation
	 * @throws RunInProgress if another run is going on
	 */
	void confirm(String id, String sysadmin, boolean wait) {
		Optional<DirectoryRunView> waiting = this.runs.find(id)
			.filter((run) -> DirectoryRunView.NEEDS_CONFIRMATION.equals(run.state()));
		if (waiting.isEmpty()) {
			throw new RunNotWaiting(id);
		}
		// A full run stays full; a delta is read again as a delta when it still can be.
		String mode = DirectoryRunView.FULL.equals(waiting.get().mode()) ? DirectoryRunView.FULL : null;
		if (!this.runs.lock(id, this.properties.lockTimeout())) {
			throw new RunInProgress();
		}
		if (!this.runs.confirm(id, sysadmin)) {
			this.runs.unlock(id);
			throw new RunNotWaiting(id);
		}
		this.heartbeat.start(id, () -> this.runs.beat(id));
		if (wait) {
			execute(id, sysadmin, true, mode);
		}
		else {
			this.executor.execute(() -> execute(id, sysadmin, true, mode));
		}
	}

	private String begin(String actor) {
		String id = UUID.randomUUID().toString();
		if (!this.runs.lock(id, this.properties.lockTimeout())) {
			return null;
		}
		try {
			this.runs.insert(id, actor);
		}
		catch (RuntimeException ex) {
			this.runs.unlock(id);
			throw ex;
		}
		this.heartbeat.start(id, () -> this.runs.beat(id));
		return id;
	}

	private void execute(String id, String actor, boolean confirmed, String requested) {
		RunReport report = new RunReport();
		try {
			DirectorySettings current = this.settings.current();
			if (!current.configured()) {
				finish(id, DirectoryRunView.FAILED, report, "directory.run.notConfigured", actor);
				return;
			}
			AreaMapping mapping = AreaMapping.parse(current.areaMapping(), areaIds());
			List<DirectoryRecord> records;
			int[] read = { 0 };
			IntConsumer progress = (count) -> {
				read[0] = count;
				this.runs.reading(id, count);
			};
			boolean delta;
			try {
				// The DC's marks first: what changes during the read is read again next
				// time.
				Optional<UpdateMarks> marks = this.reader.marks(current);
				String scope = scopeHash(current);
				Optional<Baseline> since = DirectoryRunView.FULL.equals(requested) ? Optional.empty()
						: this.runs.lastSuccessful()
							.filter((baseline) -> marks.isPresent()
									&& marks.get().invocationId().equals(baseline.invocationId())
									&& scope.equals(baseline.scopeHash())
									&& baseline.usn() <= marks.get().highestCommittedUsn());
				delta = since.isPresent();
				this.runs.reads(id, delta ? DirectoryRunView.DELTA : DirectoryRunView.FULL,
						marks.map(UpdateMarks::highestCommittedUsn).orElse(null),
						marks.map(UpdateMarks::invocationId).orElse(null), scope);
				records = delta ? this.reader.readChanged(current, since.get().usn(), mapping.dns(), progress)
						: this.reader.readAll(current, progress);
			}
			catch (RuntimeException ex) {
				DirectoryFailure failure = DirectoryFailure.of(ex, current);
				logger.warn("Directory sync {} could not read {} ({}): {}", id, current.url(), failure.code(),
						ex.toString());
				// What was read before the failure stays counted.
				report.entriesRead(read[0]);
				finish(id, DirectoryRunView.FAILED, report, failure.code(), failure.detail(), actor);
				return;
			}
			report.entriesRead(records.size());
			Plan plan = plan(records, mapping, this.accounts.accounts(), report, delta);
			report.wouldBlock(plan.blocks);
			report.managed(plan.managed);
			report.unchanged(plan.unchanged);
			if (!confirmed && plan.managed > 0) {
				if (plan.inScope == 0 && !delta) {
					finish(id, DirectoryRunView.NEEDS_CONFIRMATION, report, "directory.run.empty", actor);
					return;
				}
				if ((long) plan.blocks * 100 > (long) current.maxBlockPercent() * plan.managed) {
					finish(id, DirectoryRunView.NEEDS_CONFIRMATION, report, "directory.run.tooManyBlocks", actor);
					return;
				}
			}
			apply(id, plan, report, actor, true);
			finish(id, DirectoryRunView.DONE, report, null, actor);
		}
		catch (InvalidMapping ex) {
			finish(id, DirectoryRunView.FAILED, report, "directory.run.badMapping", actor);
		}
		catch (RuntimeException ex) {
			logger.error("Directory sync {} failed", id, ex);
			unlessStopping(id, () -> finish(id, DirectoryRunView.FAILED, report, "directory.run.error", actor));
		}
		finally {
			this.heartbeat.stop(id);
			unlessStopping(id, () -> this.runs.unlock(id));
		}
	}

	/**
	 * Writes the end of a run unless the database is gone: a node that stops closes its
	 * connections after it marked its own runs failed and freed the sync lock (or the
	 * other nodes do, from the stopped heartbeat), so nothing is left to write.
	 */
	private static void unlessStopping(String id, Runnable write) {
		try {
			write.run();
		}
		catch (org.springframework.dao.DataAccessException ex) {
			logger.warn("Directory sync {}: could not write its end ({}); the node stops or the database is gone", id,
					ex.getMessage());
		}
	}

	/**
	 * Applies the plan; {@code tracked}: writes the run's progress to its row (a preview
	 * has none).
	 */
	private void apply(String id, Plan plan, RunReport report, String actor, boolean tracked) {
		int chunk = Math.max(1, this.properties.chunkSize());
		// Rehires first: their profiles follow the accounts' new ids, then update as any.
		report.rehired(this.accounts.rematch(plan.rematches, plan.rematchedBy, actor));
		int planned = plan.changed.size() + plan.gone.size() + plan.news.size();
		if (tracked) {
			this.runs.applying(id, planned);
		}
		int done = 0;
		List<Map.Entry<Long, DirectoryEntry>> changed = new ArrayList<>(plan.changed.entrySet());
		for (int from = 0; from < changed.size(); from += chunk) {
			Map<Long, DirectoryEntry> part = new LinkedHashMap<>();
			changed.subList(from, Math.min(changed.size(), from + chunk))
				.forEach((entry) -> part.put(entry.getKey(), entry.getValue()));
			report.add(this.accounts.update(part, List.of(), actor));
			done += part.size();
			if (tracked) {
				this.runs.applied(id, done);
			}
		}
		for (int from = 0; from < plan.gone.size(); from += chunk) {
			List<Long> part = plan.gone.subList(from, Math.min(plan.gone.size(), from + chunk));
			report.add(this.accounts.update(Map.of(), part, actor));
			done += part.size();
			if (tracked) {
				this.runs.applied(id, done);
			}
		}
		// The awaiting first, oldest first; new entries only after them.
		Set<Pool> full = EnumSet.noneOf(Pool.class);
		for (Pool pool : Pool.values()) {
			report.activated(this.queue.activate(pool, chunk, actor));
			if (this.queue.countAwaiting(pool) > 0) {
				full.add(pool);
			}
		}
		for (int from = 0; from < plan.news.size(); from += chunk) {
			List<DirectoryEntry> part = plan.news.subList(from, Math.min(plan.news.size(), from + chunk));
			report.add(this.accounts.create(part, full, actor));
			done += part.size();
			if (tracked) {
				this.runs.applied(id, done);
			}
		}
		int leftAwaiting = 0;
		for (Pool pool : Pool.values()) {
			int awaiting = this.queue.countAwaiting(pool);
			leftAwaiting += awaiting;
			if (awaiting > 0) {
				// The licence-limit event: audit and the responsible person's mail.
				PoolUsage usage = this.licenses.usage(pool);
				this.licenses.recordRefusal(new LicenseLimitExceeded(pool, usage.max(), usage.active(), awaiting),
						"directory-sync", "run " + id, actor);
			}
		}
		report.leftAwaiting(leftAwaiting);
	}

	/**
	 * What a run will do. A delta reads only the entries that changed: an account it did
	 * not read is left as it is (a deletion is found by a full run), one it read out of
	 * scope (moved to an OU or out of a group that no line maps) is blocked as removed.
	 */
	private Plan plan(List<DirectoryRecord> records, AreaMapping mapping, List<DirectoryAccount> existing,
			RunReport report, boolean delta) {
		Map<String, DirectoryAccount> byDirectoryId = new HashMap<>(existing.size() * 2);
		for (DirectoryAccount account : existing) {
			byDirectoryId.put(account.directoryId(), account);
		}
		Plan plan = new Plan();
		Rehires rehires = this.properties.rehireMatch() ? new Rehires(records, existing) : null;
		Set<String> excluded = this.exclusions.ids();
		Set<String> seen = new HashSet<>(records.size() * 2);
		Set<String> outOfScope = new HashSet<>();
		for (DirectoryRecord record : records) {
			if (record.id() == null || record.id().isEmpty()) {
				report.error(record.dn(), "directory.error.idMissing", null);
				continue;
			}
			Optional<Long> area = mapping.areaOf(record.dn(), record.memberOf());
			if (area.isEmpty()) {
				if (delta) {
					outOfScope.add(record.id());
				}
				continue;
			}
			if (!seen.add(record.id())) {
				report.error(record.dn(), "directory.error.idDuplicate", record.id());
				continue;
			}
			plan.inScope++;
			DirectoryEntry entry = new DirectoryEntry(record.id(), record.dn(), record.username(), record.email(),
					(record.firstName() != null) ? record.firstName() : "",
					(record.lastName() != null) ? record.lastName() : "", area.get(), record.enabled());
			String problem = entry.problem();
			if (problem != null) {
				report.error(record.dn(), problem, (record.username() != null) ? record.username() : record.email());
				continue;
			}
			DirectoryAccount account = byDirectoryId.get(record.id());
			if (account == null && excluded.contains(record.id())) {
				// An administrator deleted its profile: skipped until removed from the
				// list.
				report.excluded();
				continue;
			}
			if (account == null && rehires != null) {
				account = rehires.match(entry, plan);
			}
			if (account == null) {
				if (entry.enabled()) {
					plan.news.add(entry);
				}
			}
			else if (account.matches(entry)) {
				plan.unchanged++;
			}
			else {
				plan.changed.put(account.id(), entry);
				if (!entry.enabled() && account.activeOrAwaiting()) {
					plan.blocks++;
				}
			}
		}
		for (DirectoryAccount account : existing) {
			if (account.activeOrAwaiting()) {
				plan.managed++;
				if (delta ? outOfScope.contains(account.directoryId()) && !seen.contains(account.directoryId())
						: !seen.contains(account.directoryId())) {
					plan.gone.add(account.id());
					plan.blocks++;
				}
			}
		}
		return plan;
	}

	/**
	 * The hash of the settings that choose the entries and their areas: a delta reads
	 * after the last run only when they are the same.
	 */
	static String scopeHash(DirectorySettings settings) {
		String scope = String.join("\n", String.valueOf(settings.url()), String.valueOf(settings.baseDn()),
				String.valueOf(settings.bindDn()), String.valueOf(settings.userFilter()),
				String.valueOf(settings.idAttribute()), String.valueOf(settings.usernameAttribute()),
				String.valueOf(settings.emailAttribute()), String.valueOf(settings.firstNameAttribute()),
				String.valueOf(settings.lastNameAttribute()), String.valueOf(settings.areaMapping()));
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(scope.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Map<String, Long> areaIds() {
		Map<String, Long> ids = new HashMap<>();
		for (AreaView area : this.areas.choices()) {
			ids.put(area.name().toLowerCase(Locale.ROOT), area.id());
		}
		return ids;
	}

	private void finish(String id, String state, RunReport report, String message, String actor) {
		finish(id, state, report, message, null, actor);
	}

	private void finish(String id, String state, RunReport report, String message, String detail, String actor) {
		this.runs.finish(id, state, report, message, detail);
		this.events
			.publishEvent(new DirectoryRunFinished(id, state, message, report.entriesRead(), report.createdActive(),
					report.createdAwaiting(), report.activated(), report.updated(), report.blockedDisabled(),
					report.blockedRemoved(), report.unchanged(), report.leftAwaiting(), report.errors().size(), actor));
	}

	@Override
	public void destroy() {
		this.heartbeat.drain(this.executor, this.reaper);
	}

	/**
	 * What a run will do, worked out in memory before anything changes.
	 */
	private static final class Plan {

		final List<DirectoryEntry> news = new ArrayList<>();

		final Map<Long, DirectoryEntry> changed = new LinkedHashMap<>();

		final List<Long> gone = new ArrayList<>();

		/** The new stable id of each rehired profile, by profile id. */
		final Map<Long, String> rematches = new LinkedHashMap<>();

		/** How each rehire was matched ({@code username} or {@code email}). */
		final Map<Long, String> rematchedBy = new HashMap<>();

		int unchanged;

		int blocks;

		int managed;

		int inScope;

	}

	/**
	 * Rehires: an entry with a stable id no profile has is matched to a profile that the
	 * directory removed (blocked by the directory, its id absent from this read), by
	 * username, else by e-mail address, both ignoring case; each profile at most once.
	 */
	private static final class Rehires {

		private final Map<String, DirectoryAccount> byUsername = new HashMap<>();

		private final Map<String, DirectoryAccount> byEmail = new HashMap<>();

		Rehires(List<DirectoryRecord> records, List<DirectoryAccount> existing) {
			Set<String> read = new HashSet<>(records.size() * 2);
			for (DirectoryRecord record : records) {
				read.add(record.id());
			}
			for (DirectoryAccount account : existing) {
				if (account.blockReason() == io.seatkeeper.people.BlockReason.DIRECTORY
						&& !read.contains(account.directoryId())) {
					this.byUsername.putIfAbsent(key(account.username()), account);
					if (account.email() != null && !account.email().isBlank()) {
						this.byEmail.putIfAbsent(key(account.email()), account);
					}
				}
			}
		}

		DirectoryAccount match(DirectoryEntry entry, Plan plan) {
			String by = "username";
			DirectoryAccount account = this.byUsername.get(key(entry.username()));
			if (account == null && entry.email() != null) {
				by = "email";
				account = this.byEmail.get(key(entry.email()));
			}
			if (account == null || plan.rematches.containsKey(account.id())) {
				return null;
			}
			plan.rematches.put(account.id(), entry.directoryId());
			plan.rematchedBy.put(account.id(), by);
			return account;
		}

		private static String key(String value) {
			return (value != null) ? value.strip().toLowerCase(Locale.ROOT) : "";
		}

	}

	/**
	 * The run does not wait for confirmation (it never did, or was confirmed already).
	 */
	static class RunNotWaiting extends RuntimeException {

		RunNotWaiting(String id) {
			super("Directory run " + id + " does not wait for confirmation");
		}

	}

	/**
	 * Another run is going on.
	 */
	static class RunInProgress extends RuntimeException {

		RunInProgress() {
			super("A directory sync is running");
		}

	}

}
