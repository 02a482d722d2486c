package io.seatkeeper.people.jobs;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * On every node, at start and then every heartbeat interval: fails the running jobs
 * (imports, directory runs) whose heartbeat is older than the timeout, because the node
 * running them stopped. It has a thread of its own: the application's scheduled tasks
 * share one, which a task waiting for a pool's row lock (held by a long import) would
 * hold up.
 */
@Component
class JobReaper implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(JobReaper.class);

	private final JobHeartbeat heartbeat;

	private final JobProperties properties;

	private final List<StoppedJobs> kinds;

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "job-reaper");
		thread.setDaemon(true);
		return thread;
	});

	JobReaper(JobHeartbeat heartbeat, JobProperties properties, List<StoppedJobs> kinds) {
		this.heartbeat = heartbeat;
		this.properties = properties;
		this.kinds = kinds;
	}

	@Override
	public void run(ApplicationArguments args) {
		long interval = this.properties.heartbeatInterval().toMillis();
		this.scheduler.scheduleWithFixedDelay(this::reap, 0, interval, TimeUnit.MILLISECONDS);
	}

	void reap() {
		for (StoppedJobs kind : this.kinds) {
			try {
				kind.failStopped(this.heartbeat.oldestLiveHeartbeat());
			}
			catch (RuntimeException ex) {
				// The next round tries again.
				logger.warn("Could not look for jobs whose node stopped ({}): {}", kind.getClass().getSimpleName(),
						ex.getMessage());
			}
		}
	}

	@PreDestroy
	void shutDown() throws InterruptedException {
		this.scheduler.shutdown();
		// A round under way ends before the connection pool closes.
		this.scheduler.awaitTermination(10, TimeUnit.SECONDS);
	}

}
