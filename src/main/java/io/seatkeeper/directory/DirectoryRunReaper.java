package io.seatkeeper.directory;

import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.Map;

import io.seatkeeper.directory.DirectoryEvents.DirectoryRunFinished;
import io.seatkeeper.people.jobs.StoppedJobs;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fails the directory runs whose node stopped while they ran, and gives the sync lock
 * back that such a run held, so that the next run can start on any node. The changes it
 * applied before it stopped are kept: each chunk committed on its own.
 */
@Component
class DirectoryRunReaper implements StoppedJobs {

	private static final Log logger = LogFactory.getLog(DirectoryRunReaper.class);

	private final DirectoryRuns runs;

	private final TransactionTemplate transactions;

	private final ApplicationEventPublisher events;

	DirectoryRunReaper(DirectoryRuns runs, TransactionTemplate transactions, ApplicationEventPublisher events) {
		this.runs = runs;
		this.transactions = transactions;
		this.events = events;
	}

	@Override
	public int failStopped(Instant heartbeatBefore) {
		int failed = 0;
		for (Map.Entry<String, String> run : this.runs.stopped(heartbeatBefore).entrySet()) {
			String id = run.getKey();
			if (Boolean.TRUE.equals(this.transactions.execute((status) -> fail(id, heartbeatBefore)))) {
				logger.warn("Directory run " + id + " failed: its node " + run.getValue() + " stopped while it ran");
				failed++;
			}
		}
		return failed;
	}

	@Override
	public int failRunningOn(String node) {
		int failed = 0;
		for (String id : this.runs.runningOn(node)) {
			if (Boolean.TRUE
				.equals(this.transactions.execute((status) -> fail(id, () -> this.runs.failStoppedOn(id, node))))) {
				logger.warn("Directory run " + id + " failed: this node stopped before it finished");
				failed++;
			}
		}
		return failed;
	}

	private boolean fail(String id, Instant heartbeatBefore) {
		return fail(id, () -> this.runs.failStopped(id, heartbeatBefore));
	}

	private boolean fail(String id, BooleanSupplier failed) {
		if (!failed.getAsBoolean()) {
			return false;
		}
		this.runs.unlock(id);
		this.runs.find(id)
			.ifPresent((run) -> this.events.publishEvent(new DirectoryRunFinished(id, run.state(), run.code(),
					run.entriesRead(), run.createdActive(), run.createdAwaiting(), run.activated(), run.updated(),
					run.blockedDisabled(), run.blockedRemoved(), run.unchanged(), run.leftAwaiting(), run.errorCount(),
					(run.confirmedBy() != null) ? run.confirmedBy() : run.startedBy())));
		return true;
	}

}
