package io.seatkeeper.scheduling;

import java.time.Duration;
import java.time.Instant;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Service;

/**
 * Runs a scheduled job once per interval across the nodes on one database: every node's
 * schedule calls {@link #runOnce}, and only the node that takes the job's lock row runs
 * it. The lock is held for at least nine tenths of the interval after the start, so a
 * node whose schedule fires a little later in the same interval finds it taken, and for
 * at most the whole interval, so that a node that stopped mid-run holds up no later run.
 */
@Service
public class ScheduledJobs {

	private static final Logger logger = LoggerFactory.getLogger(ScheduledJobs.class);

	private final LockingTaskExecutor locks;

	private final ScheduledJobRuns runs;

	private final NodeProperties node;

	private final Environment environment;

	ScheduledJobs(LockingTaskExecutor locks, ScheduledJobRuns runs, NodeProperties node, Environment environment) {
		this.locks = locks;
		this.runs = runs;
		this.node = node;
		this.environment = environment;
	}

	/**
	 * Runs the job here unless another node ran it (or runs it) within the interval. A
	 * failure is logged and recorded as the job's outcome, never thrown to the scheduler.
	 * @param name the job's name, its lock row's and its record's key
	 * @param interval the job's interval, a duration ({@code 1h}) or a placeholder for
	 * one ({@code ${seatkeeper.usage.snapshot-interval:1h}}), as its schedule says
	 * @param task the job
	 * @return whether this node ran it
	 */
	public boolean runOnce(String name, String interval, Runnable task) {
		Duration every = duration(interval);
		LockConfiguration lock = new LockConfiguration(Instant.now(), name, every, every.multipliedBy(9).dividedBy(10));
		try {
			return this.locks.executeWithLock(() -> {
				run(name, task);
				return Boolean.TRUE;
			}, lock).wasExecuted();
		}
		catch (Throwable ex) {
			// Taking the lock failed (the database is unreachable): the next interval
			// tries again.
			logger.warn("Scheduled job {} did not run: {}", name, ex.getMessage());
			return false;
		}
	}

	/**
	 * This node's name, as the lock rows and the runs record it.
	 */
	public String node() {
		return this.node.name();
	}

	private void run(String name, Runnable task) {
		Instant started = this.runs.started(name, this.node.name());
		try {
			task.run();
			this.runs.finished(name, started, null);
		}
		catch (RuntimeException ex) {
			logger.error("Scheduled job {} failed", name, ex);
			String message = ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
			this.runs.finished(name, started, message);
		}
	}

	private Duration duration(String interval) {
		String resolved = this.environment.resolveRequiredPlaceholders(interval);
		Duration duration = ApplicationConversionService.getSharedInstance().convert(resolved, Duration.class);
		if (duration == null || duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("The interval of a scheduled job must be positive: " + interval);
		}
		return duration;
	}

}
