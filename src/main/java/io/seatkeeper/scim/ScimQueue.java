package io.seatkeeper.scim;

import io.seatkeeper.license.LicenseEvents.LicenseKeyApplied;
import io.seatkeeper.license.Pool;
import io.seatkeeper.people.ProfileEvents.LicensesFreed;
import io.seatkeeper.people.ProvisionedAccounts;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;

/**
 * Activates the SCIM profiles that await a licence, oldest first, through the gate, once
 * licences are free: after a change that freed licences of a pool commits
 * ({@link LicensesFreed}) and after a licence key was applied (the maxima may have
 * grown). Each chunk of the queue is one short transaction of its own.
 * <p>
 * Through the event publication registry: a publication whose listener did not complete
 * (the node stopped) is run again at the next start; running one twice activates no more
 * than are free.
 */
@Component
class ScimQueue {

	private static final int CHUNK = 500;

	private final ProvisionedAccounts accounts;

	private final ScimProperties properties;

	ScimQueue(ProvisionedAccounts accounts, ScimProperties properties) {
		this.accounts = accounts;
		this.properties = properties;
	}

	@ApplicationModuleListener(propagation = Propagation.NOT_SUPPORTED)
	void on(LicensesFreed event) {
		activate(event.pool());
	}

	@ApplicationModuleListener(propagation = Propagation.NOT_SUPPORTED)
	void on(LicenseKeyApplied event) {
		for (Pool pool : Pool.values()) {
			activate(pool);
		}
	}

	private void activate(Pool pool) {
		if (this.properties.queues() && this.accounts.countAwaiting(pool) > 0) {
			this.accounts.activateAwaiting(pool, CHUNK, "scim");
		}
	}

}
