package io.seatkeeper.directory;

import io.seatkeeper.license.Pool;
import io.seatkeeper.license.LicenseEvents.LicenseKeyApplied;
import io.seatkeeper.people.AwaitingQueue;
import io.seatkeeper.people.ProfileEvents.LicensesFreed;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;

/**
 * "Activate as soon as a licence is free" (off by default; a setting of the directory
 * page that holds for every path): after a change that frees a licence of a pool commits
 * (a block, a delete, a move out: {@link LicensesFreed}, which the profile writer
 * publishes once per pool and change, one profile or a batch), and after a licence key is
 * applied (the maxima may have grown), the oldest profiles awaiting a licence of that
 * pool are activated, whatever path they came by (directory, SCIM, single sign-on, a
 * dormant profile signing in again), through the gate, in transactions of their own.
 * While a sync runs, it does this itself.
 * <p>
 * The listeners go through the event publication registry: a publication whose listener
 * has not completed (the node stopped after the commit) is run again when a node starts.
 * Running one twice activates no more than are free, so the gate keeps it exactly once.
 */
@Component
class FreedLicenses {

	private final DirectorySettingsStore settings;

	private final DirectoryRuns runs;

	private final AwaitingQueue queue;

	private final DirectoryProperties properties;

	FreedLicenses(DirectorySettingsStore settings, DirectoryRuns runs, AwaitingQueue queue,
			DirectoryProperties properties) {
		this.settings = settings;
		this.runs = runs;
		this.queue = queue;
		this.properties = properties;
	}

	/**
	 * Runs after the commit that freed the licences, outside any transaction of its own:
	 * each chunk of the queue is one short transaction, so the pool is never held for the
	 * whole queue.
	 */
	@ApplicationModuleListener(propagation = Propagation.NOT_SUPPORTED)
	void on(LicensesFreed event) {
		freed(event.pool());
	}

	@ApplicationModuleListener(propagation = Propagation.NOT_SUPPORTED)
	void on(LicenseKeyApplied event) {
		for (Pool pool : Pool.values()) {
			freed(pool);
		}
	}

	private void freed(Pool pool) {
		if (!this.settings.current().activateWhenFree() || this.runs.running().isPresent()) {
			return;
		}
		// A failure leaves the publication incomplete, to be run again at the next start.
		if (this.queue.countAwaiting(pool) > 0) {
			this.queue.activate(pool, this.properties.chunkSize(), "queue");
		}
	}

}
