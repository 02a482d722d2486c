package io.seatkeeper.people.jobs;

import java.time.Instant;

/**
 * The jobs of one kind whose node stopped. Each module that runs jobs with a
 * {@link JobHeartbeat} implements it for its own table, and every node's reaper calls it.
 */
public interface StoppedJobs {

	/**
	 * Marks as failed each running job whose last heartbeat is older than the given
	 * instant, each with one conditional update, so that of several nodes reaping at once
	 * only one fails a job.
	 * @param heartbeatBefore the oldest heartbeat of a job whose node still runs
	 * @return how many jobs this call failed
	 */
	int failStopped(Instant heartbeatBefore);

	/**
	 * Marks as failed each job still running on the given node, which is stopping and
	 * will not finish them: called by that node itself at its shutdown, once its grace
	 * period ran out, so that no other node has to wait for the heartbeat timeout.
	 * @param node the stopping node ({@link JobHeartbeat#node()})
	 * @return how many jobs this call failed
	 */
	int failRunningOn(String node);

}
