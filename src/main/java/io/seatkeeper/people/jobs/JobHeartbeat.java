package io.seatkeeper.people.jobs;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The heartbeat of the jobs running on this node: while a job runs, its row is touched
 * every {@code seatkeeper.jobs.heartbeat-interval}, so that any node can tell, from a
 * heartbeat older than {@code seatkeeper.jobs.heartbeat-timeout}, that the node running
 * it stopped.
 */
@Component
public class JobHeartbeat {

	private static final Logger logger = LoggerFactory.getLogger(JobHeartbeat.class);

	private final JobProperties properties;

	// Several application contexts may share one JVM (and its pid@host), so the name
	// ends with a part of its own.
	private final String node = ManagementFactory.getRuntimeMXBean().getName() + "/"
			+ UUID.randomUUID().toString().substring(0, 8);

	private final Map<String, ScheduledFuture<?>> beating = new ConcurrentHashMap<>();

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "job-heartbeat");
		thread.setDaemon(true);
		return thread;
	});

	JobHeartbeat(JobProperties properties) {
		this.properties = properties;
	}

	/**
	 * This node's name, as the job rows record it.
	 */
	public String node() {
		return this.node;
	}

	/**
	 * Touches a job's row every interval until {@link #stop(String)}. The row's first
	 * heartbeat is written with the job's start.
	 * @param jobId the job
	 * @param touch writes the heartbeat (the time and {@link #node()}) into the job's row
	 */
	public void start(String jobId, Runnable touch) {
		long interval = this.properties.heartbeatInterval().toMillis();
		ScheduledFuture<?> beat = this.scheduler.scheduleAtFixedRate(() -> {
			try {
				touch.run();
			}
			catch (RuntimeException ex) {
				// The next beat tries again; one that cannot reach the database for the
				// whole timeout lets the job be failed, as a stopped node's.
				logger.warn("Heartbeat of job {} failed: {}", jobId, ex.getMessage());
			}
		}, interval, interval, TimeUnit.MILLISECONDS);
		ScheduledFuture<?> previous = this.beating.put(jobId, beat);
		if (previous != null) {
			previous.cancel(false);
		}
	}

	/**
	 * Stops touching a job's row: it has finished, one way or another.
	 */
	public void stop(String jobId) {
		ScheduledFuture<?> beat = this.beating.remove(jobId);
		if (beat != null) {
			beat.cancel(false);
		}
	}

	/**
	 * The oldest heartbeat of a job whose node still runs, now.
	 */
	public Instant oldestLiveHeartbeat() {
		return Instant.now().minus(this.properties.heartbeatTimeout());
	}

	/**
	 * Stops a node's job executor at the node's shutdown: the jobs running or queued on
	 * it may finish within {@code seatkeeper.jobs.shutdown-grace}; then the ones still
	 * running on this node are marked failed (an import's own end, conditional on
	 * {@code RUNNING}, can then only roll back) and its threads are interrupted. Either
	 * way no job is left running with nobody to finish it, and a sysadmin can start it
	 * again on another node at once.
	 * @param executor the executor of the jobs
	 * @param jobs the jobs' table, to mark the unfinished ones
	 */
	public void drain(ExecutorService executor, StoppedJobs jobs) {
		executor.shutdown();
		try {
			if (executor.awaitTermination(this.properties.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
				return;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try {
			int failed = jobs.failRunningOn(this.node);
			if (failed > 0) {
				logger.warn("Stopped {} job(s) still running after the shutdown grace of {}", failed,
						this.properties.shutdownGrace());
			}
		}
		catch (RuntimeException ex) {
			// The other nodes' reapers fail them after the heartbeat timeout.
			logger.warn("Could not mark this node's unfinished jobs stopped: {}", ex.getMessage());
		}
		executor.shutdownNow();
		try {
			executor.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@PreDestroy
	void shutDown() {
		this.scheduler.shutdownNow();
	}

}
