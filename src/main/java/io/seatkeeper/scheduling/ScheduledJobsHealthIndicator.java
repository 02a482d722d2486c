package io.seatkeeper.scheduling;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The scheduled jobs in the health details ({@code scheduledJobs}, for sysadmins): this
 * node's name and, for each job, how often it ran on any node, its last start and end,
 * the node that ran it and the outcome ({@code RUNNING}, {@code SUCCEEDED}, or
 * {@code FAILED} with the error). Always {@code UP}: a failed run is retried at the next
 * interval and is no reason to take a node out of service.
 */
@Component
class ScheduledJobsHealthIndicator implements HealthIndicator {

	private final ScheduledJobRuns runs;

	private final NodeProperties node;

	ScheduledJobsHealthIndicator(ScheduledJobRuns runs, NodeProperties node) {
		this.runs = runs;
		this.node = node;
	}

	@Override
	public Health health() {
		Map<String, Object> jobs = new LinkedHashMap<>();
		for (ScheduledJobRuns.Run run : this.runs.all()) {
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("runs", run.runs());
			detail.put("lastStarted", run.lastStarted().toString());
			if (run.lastFinished() != null) {
				detail.put("lastFinished", run.lastFinished().toString());
			}
			detail.put("node", run.node());
			detail.put("outcome", run.outcome());
			if (run.message() != null) {
				detail.put("error", run.message());
			}
			jobs.put(run.name(), detail);
		}
		return Health.up().withDetail("node", this.node.name()).withDetail("jobs", jobs).build();
	}

}
