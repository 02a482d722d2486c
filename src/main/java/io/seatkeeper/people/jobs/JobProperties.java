package io.seatkeeper.people.jobs;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The heartbeat of the jobs a node runs in the background (CSV imports, directory sync
 * runs), by which every node can tell a job whose node stopped.
 *
 * @param heartbeatInterval how often the node running a job touches the job's row; also
 * how often every node looks for jobs whose node stopped
 * @param heartbeatTimeout how old a running job's last heartbeat may be before any node
 * marks the job failed because the node running it stopped; keep it several intervals
 * long
 * @param shutdownGrace how long a node told to stop lets its running jobs finish (after
 * the requests under way); a job still running then is marked failed, with nothing of an
 * import kept, and can be started again on any node
 */
@ConfigurationProperties("seatkeeper.jobs")
public record JobProperties(@DefaultValue("5s") Duration heartbeatInterval,
		@DefaultValue("60s") Duration heartbeatTimeout, @DefaultValue("10s") Duration shutdownGrace) {

	public JobProperties {
		if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
			throw new IllegalArgumentException("seatkeeper.jobs.heartbeat-interval must be positive");
		}
		if (heartbeatTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
			throw new IllegalArgumentException(
					"seatkeeper.jobs.heartbeat-timeout must be at least twice seatkeeper.jobs.heartbeat-interval");
		}
		if (shutdownGrace.isNegative()) {
			throw new IllegalArgumentException("seatkeeper.jobs.shutdown-grace must not be negative");
		}
	}

}
