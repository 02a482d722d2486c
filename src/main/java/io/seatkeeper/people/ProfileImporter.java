package io.seatkeeper.people;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
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
import io.seatkeeper.people.ImportPlan.PoolNeed;
import io.seatkeeper.people.ProfileEvents.ImportRefused;
import io.seatkeeper.people.ProfileEvents.ProfilesImported;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Plans and carries out a CSV upload. Confirming passes the gate once per pool for all
 * the file's new rows, in the transaction that inserts them in JDBC batches: the licences
 * are checked again, atomically, at that moment, and either every row the gate granted is
 * created or none is.
 */
@Component
class ProfileImporter {

	private static final int BATCH = 1000;

	private static final String INSERT = """
			insert into profile (username, username_key, email, email_key, first_name, first_name_key, last_name,
			    last_name_key, area_id, pool, state, source, sysadmin, people_admin, built_in, created_at, updated_at,
			    version)
			values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE', 'CSV', false, false, false, ?, ?, 0)""";

	private final JdbcTemplate jdbc;

	private final AreaService areas;

	private final LicenseService licenses;

	private final ImportJobs jobs;

	private final ImportProgress progress;

	private final MessageSource messages;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transactions;

	ProfileImporter(DataSource dataSource, AreaService areas, LicenseService licenses, ImportJobs jobs,
			ImportProgress progress, MessageSource messages, ApplicationEventPublisher events,
			TransactionTemplate transactions) {
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
	 * Imports the upload in one transaction and records its report.
	 */
	ImportPlan run(String jobId, String fileName, byte[] content, ImportMode mode, String actor, Locale locale) {
		try {
			return this.transactions.execute((status) -> {
				List<ImportRow> rows = markExisting(read(content));
				Map<Pool, Integer> needed = needed(rows);
				Map<Pool, Integer> granted = new EnumMap<>(Pool.class);
				for (Pool pool : Pool.values()) {
					int need = needed.getOrDefault(pool, 0);
					if (mode == ImportMode.ALL_OR_NOTHING) {
						this.licenses.acquire(pool, need);
						granted.put(pool, need);
					}
					else {
						granted.put(pool, this.licenses.acquireUpTo(pool, need));
					}
				}
				List<ImportRow> outcome = ImportPlan.allot(rows, granted, ImportOutcome.CREATED, ImportOutcome.REFUSED);
				insert(jobId, outcome);
				List<PoolNeed> needs = new ArrayList<>();
				for (Pool pool : Pool.values()) {
					// Free at the moment of the check: what is free now plus what this
					// import took.
					needs.add(new PoolNeed(pool, needed.getOrDefault(pool, 0),
							this.licenses.usage(pool).available() + granted.getOrDefault(pool, 0)));
				}
				ImportPlan plan = new ImportPlan(outcome, needs);
				int created = (int) plan.count(ImportOutcome.CREATED);
				int skipped = (int) plan.count(ImportOutcome.EXISTS);
				int refused = (int) plan.count(ImportOutcome.REFUSED);
				int invalid = (int) plan.count(ImportOutcome.INVALID);
				if (jobId != null) {
					this.jobs.finish(jobId, "DONE", created, skipped, refused, invalid, null, report(outcome, locale));
				}
				this.events.publishEvent(
						new ProfilesImported(jobId, fileName, mode, created, skipped, refused, invalid, actor));
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
		catch (RuntimeException ex) {
			fail(jobId, "import.failed.error");
			throw ex;
		}
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
		for (AreaView area : this.areas.list()) {
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
		for (int from = 0; from < keys.size(); from += BATCH) {
			List<String> chunk = keys.subList(from, Math.min(keys.size(), from + BATCH));
			String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
			existing
				.addAll(this.jdbc.queryForList("select username_key from profile where username_key in (" + marks + ")",
						String.class, chunk.toArray()));
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

	private void insert(String jobId, List<ImportRow> rows) {
		Timestamp now = Timestamp.from(Instant.now());
		List<Object[]> batch = new ArrayList<>(BATCH);
		int done = 0;
		for (ImportRow row : rows) {
			done++;
			if (row.outcome() != ImportOutcome.CREATED) {
				continue;
			}
			batch.add(new Object[] { row.username(), Profile.usernameKey(row.username()), row.email(),
					row.email().toLowerCase(Locale.ROOT), row.firstName(), row.firstName().toLowerCase(Locale.ROOT),
					row.lastName(), row.lastName().toLowerCase(Locale.ROOT), row.areaId(), row.pool().name(), now,
					now });
			if (batch.size() == BATCH) {
				this.jdbc.batchUpdate(INSERT, batch);
				batch.clear();
				if (jobId != null) {
					this.progress.advance(jobId, done);
				}
			}
		}
		if (!batch.isEmpty()) {
			this.jdbc.batchUpdate(INSERT, batch);
		}
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
