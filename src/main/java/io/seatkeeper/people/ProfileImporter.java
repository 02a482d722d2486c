package io.seatkeeper.people;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.license.LicenseService;
import io.seatkeeper.license.Pool;
import io.seatkeeper.license.PoolUsage;
import io.seatkeeper.people.ProfileLedger.Admission;
import io.seatkeeper.people.ProfileLedger.Batch;
import io.seatkeeper.people.ProfileLedger.Draft;
import io.seatkeeper.people.ProfileEvents.ImportRefused;
import io.seatkeeper.people.ProfileEvents.ProfilesImported;
import io.seatkeeper.people.importing.CsvImportReader;
import io.seatkeeper.people.importing.ImportJobs;
import io.seatkeeper.people.importing.ImportPlan;
import io.seatkeeper.people.importing.ImportPlan.PoolNeed;
import io.seatkeeper.people.importing.ImportProgress;
import io.seatkeeper.people.importing.ImportRow;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Plans and carries out a CSV upload. Confirming asks {@link ProfileLedger} to write the
 * file's new rows in JDBC batches and then to pass the gate once per pool, in one
 * transaction: the licences are checked again, atomically, at that moment, and either
 * every row the gate granted is created or none is.
 */
@Component
class ProfileImporter {

	private final JdbcTemplate jdbc;

	private final AreaService areas;

	private final LicenseService licenses;

	private final ImportJobs jobs;

	private final ImportProgress progress;

	private final MessageSource messages;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transactions;

	private final ProfileLedger ledger;

	ProfileImporter(DataSource dataSource, AreaService areas, LicenseService licenses, ImportJobs jobs,
			ImportProgress progress, MessageSource messages, ApplicationEventPublisher events,
			TransactionTemplate transactions, ProfileLedger ledger) {
		this.ledger = ledger;
		this.jdbc = new JdbcTemplate(dataSource);
		this.areas = areas;
		this.licenses = licenses;
		this.jobs = jobs;
		this.progress = progress;
		this.messages = messages;
		this.events = events;
		this.transactions = transactions;
	}

	/**
	 * What the upload would do now: each row's outcome, and each pool's need and free
	 * licences. Changes nothing.
	 */
	ImportPlan plan(byte[] content) {
		List<ImportRow> rows = markExisting(read(content));
		Map<Pool, Integer> needed = needed(rows);
		List<PoolNeed> needs = new ArrayList<>();
		Map<Pool, Integer> free = new EnumMap<>(Pool.class);
		for (PoolUsage usage : this.licenses.usage()) {
			needs.add(new PoolNeed(usage.pool(), needed.getOrDefault(usage.pool(), 0), usage.available()));
			free.put(usage.pool(), usage.available());
		}
		return new ImportPlan(ImportPlan.allot(rows, free, ImportOutcome.CREATE, ImportOutcome.NO_LICENSE), needs);
	}

	/**
	 * How many rows the file holds, read and checked as an upload is, without asking the
	 * database which of them exist: for an upload imported at once, whose run plans them.
	 * @throws ImportFileRejected if the file cannot be read as a people upload
	 */
	int rows(byte[] content) {
		return read(content).size();
	}

	/**
	 * Imports the upload in one transaction and records its report.
	 */
	ImportPlan run(String jobId, String fileName, byte[] content, ImportMode mode, String actor, Locale locale) {
		try {
			return this.transactions.execute((status) -> {
				List<ImportRow> rows = markExisting(read(content));
				Map<Pool, Integer> needed = needed(rows);
				List<Draft> drafts = rows.stream()
					.filter((row) -> row.outcome() == ImportOutcome.CREATE)
					.map((row) -> new Draft(row.username(), row.email(), row.firstName(), row.lastName(), row.areaId(),
							row.pool(), ProfileSource.CSV, null, null))
					.toList();
				// The rows are written first, without a pool lock; the report is stored
				// from what the pools seem to grant, and the gate then decides, briefly.
				Batch batch = this.ledger.prepare(drafts,
						(mode == ImportMode.ALL_OR_NOTHING) ? Admission.ALL_OR_NOTHING : Admission.AS_MANY_AS_FIT,
						EnumSet.noneOf(Pool.class), (done) -> {
							if (jobId != null) {
								this.progress.advance(jobId, done);
							}
						});
				ImportPlan plan = finish(jobId, rows, needed, batch.planned(), batch, locale);
				Map<Pool, Integer> granted = this.ledger.admit(batch, actor);
				if (!granted.equals(batch.planned())) {
					// Licences were taken between the estimate and the gate.
					plan = finish(jobId, rows, needed, granted, batch, locale);
				}
				this.events.publishEvent(new ProfilesImported(jobId, fileName, mode,
						(int) plan.count(ImportOutcome.CREATED), (int) plan.count(ImportOutcome.EXISTS),
						(int) plan.count(ImportOutcome.REFUSED), (int) plan.count(ImportOutcome.INVALID), actor));
				return plan;
			});
		}
		catch (LicenseLimitExceeded refusal) {
			ImportPlan plan = plan(content);
			String needs = plan.needs()
				.stream()
				.map((need) -> need.pool() + " needs " + need.needed() + ", " + need.free() + " free")
				.collect(Collectors.joining("; "));
			this.transactions.executeWithoutResult((status) -> {
				if (jobId != null) {
					this.jobs.finish(jobId, "REFUSED", 0, (int) plan.count(ImportOutcome.EXISTS),
							(int) plan.count(ImportOutcome.NO_LICENSE), (int) plan.count(ImportOutcome.INVALID),
							refusal.expired() ? "license.expired.import" : "import.refused",
							report(plan.rows(), locale));
				}
				this.events.publishEvent(new ImportRefused(jobId, fileName, needs, actor));
			});
			this.licenses.recordRefusal(refusal, "import", fileName, actor);
			throw refusal;
		}
		catch (DataIntegrityViolationException ex) {
			// A username of the file was taken by someone else after the check.
			fail(jobId, "import.failed.usernameTaken");
			throw new UsernameTaken("?");
		}
		catch (PessimisticLockingFailureException ex) {
			// The pools stayed locked by other work for longer than the lock time-out.
			fail(jobId, "import.failed.busy");
			throw ex;
		}
		catch (RuntimeException ex) {
			fail(jobId, "import.failed.error");
			throw ex;
		}
	}

	/**
	 * Each row's outcome when the pools grant {@code granted}, stored as the job's
	 * report.
	 */
	private ImportPlan finish(String jobId, List<ImportRow> rows, Map<Pool, Integer> needed, Map<Pool, Integer> granted,
			Batch batch, Locale locale) {
		List<ImportRow> outcome = ImportPlan.allot(rows, granted, ImportOutcome.CREATED, ImportOutcome.REFUSED);
		List<PoolNeed> needs = new ArrayList<>();
		for (Pool pool : Pool.values()) {
			int need = needed.getOrDefault(pool, 0);
			// Free at the moment of the check; a pool the file did not need was not
			// asked.
			needs.add(new PoolNeed(pool, need, (need > 0) ? Math.max(batch.free(pool), granted.getOrDefault(pool, 0))
					: this.licenses.available(pool)));
		}
		ImportPlan plan = new ImportPlan(outcome, needs);
		if (jobId != null) {
			this.jobs.finish(jobId, "DONE", (int) plan.count(ImportOutcome.CREATED),
					(int) plan.count(ImportOutcome.EXISTS), (int) plan.count(ImportOutcome.REFUSED),
					(int) plan.count(ImportOutcome.INVALID), null, report(outcome, locale));
		}
		return plan;
	}

	/**
	 * After an as-many-as-fit import that refused rows: the licence-limit event, one per
	 * pool that ran out.
	 */
	void recordShortfall(ImportPlan plan, String fileName, String actor) {
		for (PoolNeed need : plan.needs()) {
			if (need.needed() > need.free()) {
				PoolUsage usage = this.licenses.usage(need.pool());
				this.licenses.recordRefusal(
						new LicenseLimitExceeded(need.pool(), usage.max(), usage.active(), need.needed() - need.free()),
						"import", fileName, actor);
			}
		}
	}

	private void fail(String jobId, String message) {
		if (jobId != null) {
			this.transactions
				.executeWithoutResult((status) -> this.jobs.finish(jobId, "FAILED", 0, 0, 0, 0, message, null));
		}
	}

	private List<ImportRow> read(byte[] content) {
		Map<String, AreaView> byName = new HashMap<>();
		AreaView primary = null;
		for (AreaView area : this.areas.choices()) {
			byName.put(Area.key(area.name()), area);
			if (area.primary()) {
				primary = area;
			}
		}
		return CsvImportReader.read(content, byName, primary);
	}

	private List<ImportRow> markExisting(List<ImportRow> rows) {
		List<String> keys = rows.stream()
			.filter((row) -> row.outcome() == ImportOutcome.CREATE)
			.map((row) -> Profile.usernameKey(row.username()))
			.toList();
		Set<String> existing = new HashSet<>();
		for (List<String> chunk : SqlInList.chunks(keys)) {
			existing.addAll(this.jdbc.queryForList("select username_key from profile where username_key in ("
					+ SqlInList.placeholders(chunk.size()) + ")", String.class, chunk.toArray()));
		}
		if (existing.isEmpty()) {
			return rows;
		}
		List<ImportRow> marked = new ArrayList<>(rows.size());
		for (ImportRow row : rows) {
			marked.add((row.outcome() == ImportOutcome.CREATE && existing.contains(Profile.usernameKey(row.username())))
					? row.with(ImportOutcome.EXISTS, "import.row.exists") : row);
		}
		return marked;
	}

	private static Map<Pool, Integer> needed(List<ImportRow> rows) {
		Map<Pool, Integer> needed = new EnumMap<>(Pool.class);
		for (ImportRow row : rows) {
			if (row.outcome() == ImportOutcome.CREATE) {
				needed.merge(row.pool(), 1, Integer::sum);
			}
		}
		return needed;
	}

	/**
	 * The report as CSV: line, username, outcome, reason.
	 */
	String report(List<ImportRow> rows, Locale locale) {
		StringWriter out = new StringWriter();
		try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180)) {
			csv.printRecord(this.messages.getMessage("import.report.line", null, locale),
					this.messages.getMessage("import.report.username", null, locale),
					this.messages.getMessage("import.report.outcome", null, locale),
					this.messages.getMessage("import.report.reason", null, locale));
			for (ImportRow row : rows) {
				csv.printRecord(row.line(), SpreadsheetCells.neutralise(row.username()),
						this.messages.getMessage("import.outcome." + row.outcome(), null, locale),
						(row.reason() != null) ? this.messages.getMessage(row.reason(), row.arguments(), locale) : "");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toString();
	}

	static byte[] bytes(String content) {
		return content.getBytes(StandardCharsets.UTF_8);
	}

}
