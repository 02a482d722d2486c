package io.seatkeeper.directory;

import io.seatkeeper.license.Pool;
import io.seatkeeper.people.DirectoryAccounts;
import io.seatkeeper.people.ProfileEvents.ProfileBlocked;
import io.seatkeeper.people.ProfileEvents.ProfileDeleted;
import io.seatkeeper.people.ProfileEvents.ProfileMoved;
import io.seatkeeper.people.ProfileState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * "Activate as soon as a licence is free" (off by default): after a change that frees a
 * licence of a pool commits (a block, a delete, a move out), the oldest directory
 * profiles awaiting a licence of that pool are activated, through the gate, on the sync's
 * own thread. While a sync runs, it does this itself.
 */
@Component
class FreedLicenses {

	private static final Log logger = LogFactory.getLog(FreedLicenses.class);

	private final DirectorySync sync;

	private final DirectorySettingsStore settings;

	private final DirectoryRuns runs;

	private final DirectoryAccounts accounts;

	private final DirectoryProperties properties;

	FreedLicenses(DirectorySync sync, DirectorySettingsStore settings, DirectoryRuns runs, DirectoryAccounts accounts,
			DirectoryProperties properties) {
		this.sync = sync;
		this.settings = settings;
		this.runs = runs;
		this.accounts = accounts;
		this.properties = properties;
	}

	@TransactionalEventListener
	void on(ProfileBlocked event) {
		if (event.freedLicense()) {
			freed(event.pool());
		}
	}

	@TransactionalEventListener
	void on(ProfileDeleted event) {
		if (event.freedLicense()) {
			freed(event.pool());
		}
	}

	@TransactionalEventListener
	void on(ProfileMoved event) {
		if (event.fromPool() != event.toPool() && event.state() == ProfileState.ACTIVE) {
			freed(event.fromPool());
		}
	}

	private void freed(Pool pool) {
		this.sync.later(() -> {
			try {
				if (!this.settings.current().activateWhenFree() || this.runs.running().isPresent()) {
					return;
				}
				this.accounts.activateAwaiting(pool, this.properties.chunkSize(), "directory");
			}
			catch (RuntimeException ex) {
				logger.warn("Activating awaiting directory profiles failed: " + ex.getMessage());
			}
		});
	}

}
