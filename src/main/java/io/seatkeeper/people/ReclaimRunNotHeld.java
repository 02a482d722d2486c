package io.seatkeeper.people;

/**
 * A reclaim run to confirm does not exist, or is not held (it ran, or another sysadmin
 * confirmed it meanwhile).
 */
public class ReclaimRunNotHeld extends PeopleRefusal {

	public ReclaimRunNotHeld(long runId) {
		super("reclaim.run.notHeld", "Reclaim run " + runId + " is not waiting for a confirmation", runId);
	}

}
