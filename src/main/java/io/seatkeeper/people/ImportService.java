package io.seatkeeper.people;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.PreDestroy;

import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.people.importing.ImportJobs;
import io.seatkeeper.people.jobs.JobHeartbeat;
import io.seatkeeper.people.importing.ImportPlan;
import io.seatkeeper.people.importing.ImportProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Service;

/**
 * CSV uploads of people (R6): read and preview, then import on confirmation, as a job
 * whose report stays available afterwards. Every new profile passes the licence gate.
 */
@Service
public class ImportService {

	private static final Logger logger = LoggerFactory.getLogger(ImportService.class);

	private final ProfileImporter importer;

	private final ImportJobs jobs;

	private final ImportProgress progress;

	private final JobHeartbeat heartbeat;

	private final ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();

	ImportService(ProfileImporter importer, ImportJobs jobs, ImportProgress progress, JobHeartbeat heartbeat) {
		this.importer = importer;
		this.jobs = jobs;
		this.progress = progress;
		this.heartbeat = heartbeat;
		this.executor.setCorePoolSize(1);
		this.executor.setMaxPoolSize(1);
		this.executor.setThreadNamePrefix("import-");
		this.executor.initialize();
	}

	/**
	 * Reads an uploaded file and keeps it for confirmation.
	 * @throws ImportFileRejected if the file cannot be read as a people upload; nothing
	 * is kept
	 */
	public ImportJobView upload(String fileName, byte[] content, String actor) {
		return keep(fileName, content, actor, this.importer.plan(content).rows().size());
	}

	private ImportJobView keep(String fileName, byte[] content, String actor, int rows) {
		String id = UUID.randomUUID().toString();
		String name = (fileName == null || fileName.isBlank()) ? "upload.csv" : fileName;
		this.jobs.insert(id, (name.length() > 255) ? name.substring(0, 255) : name,
				new String(content, StandardCharsets.UTF_8), actor, rows);
		return this.jobs.find(id).orElseThrow();
	}

	/**
	 * What confirming the upload would do now.
	 */
	public ImportPlan preview(String id) {
		return this.importer.plan(ProfileImporter.bytes(this.jobs.content(require(id).id())));
	}

	/**
	 * What importing the content would do now, without keeping anything (a dry run).
	 */
	public ImportPlan preview(byte[] content) {
		return this.importer.plan(content);
	}

	/**
	 * Starts importing a previewed upload in the background; the job's page shows its
	 * progress and then its report.
	 * @throws ImportNotWaiting if the upload was confirmed already
	 */
	public ImportJobView confirm(String id, ImportMode mode, String actor, Locale locale) {
		ImportJobView job = require(id);
		byte[] content = ProfileImporter.bytes(this.jobs.content(id));
		if (!this.jobs.start(id, mode)) {
			throw new ImportNotWaiting();
		}
		this.progress.start(id, job.totalRows());
		this.heartbeat.start(id, () -> this.jobs.beat(id, this.progress.done(id)));
		this.executor.execute(() -> {
			try {
				ImportPlan plan = this.importer.run(id, job.fileName(), content, mode, actor, locale);
				this.importer.recordShortfall(plan, job.fileName(), actor);
			}
			catch (LicenseLimitExceeded | PeopleRefusal refusal) {
				logger.info("Import {} refused: {}", id, refusal.getMessage());
			}
			catch (RuntimeException ex) {
				logger.error("Import {} failed", id, ex);
			}
			finally {
				this.heartbeat.stop(id);
				this.progress.end(id);
			}
		});
		return this.jobs.find(id).orElseThrow();
	}

	/**
	 * Imports content at once, in the caller's thread, keeping its report as a job. In
	 * all-or-nothing mode, when the pools cannot take all new rows, nothing is created
	 * and the result's job is {@code REFUSED}.
	 */
	public ImportResult importNow(String fileName, byte[] content, ImportMode mode, String actor, Locale locale) {
		// Read and checked as an upload is; the run plans the rows, once.
		ImportJobView job = keep(fileName, content, actor, this.importer.rows(content));
		this.jobs.start(job.id(), mode);
		this.heartbeat.start(job.id(), () -> this.jobs.beat(job.id()));
		try {
			ImportPlan plan = this.importer.run(job.id(), job.fileName(), content, mode, actor, locale);
			this.importer.recordShortfall(plan, job.fileName(), actor);
			return new ImportResult(this.jobs.find(job.id()).orElseThrow(), plan);
		}
		catch (LicenseLimitExceeded refusal) {
			// Refused whole: the job says so, and the plan says what each pool lacks.
			return new ImportResult(this.jobs.find(job.id()).orElseThrow(), this.importer.plan(content));
		}
		finally {
			this.heartbeat.stop(job.id());
		}
	}

	/**
	 * One upload.
	 */
	public Optional<ImportJobView> find(String id) {
		return this.jobs.find(id);
	}

	/**
	 * The latest uploads, newest first.
	 */
	public List<ImportJobView> recent() {
		return this.jobs.recent(20);
	}

	/**
	 * How far a running import has got, in percent, on whichever node it runs (another
	 * node's as its last heartbeat wrote it); -1 when it is not running.
	 */
	public int progress(String id) {
		int here = this.progress.percent(id);
		return (here >= 0) ? here : this.jobs.percentDone(id);
	}

	/**
	 * The report of a finished import as CSV (line, username, outcome, reason).
	 */
	public Optional<String> report(String id) {
		return this.jobs.report(id);
	}

	@PreDestroy
	void stop() {
		this.heartbeat.drain(this.executor.getThreadPoolExecutor(), this.jobs);
	}

	private ImportJobView require(String id) {
		return this.jobs.find(id).orElseThrow(() -> new ImportNotFound(id));
	}

	/**
	 * The outcome of an import.
	 *
	 * @param job the job, with its counts
	 * @param plan every row's outcome
	 */
	public record ImportResult(ImportJobView job, ImportPlan plan) {
	}

}
