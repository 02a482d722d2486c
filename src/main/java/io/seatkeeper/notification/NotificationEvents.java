package io.seatkeeper.notification;

import io.seatkeeper.license.Pool;

/**
 * What happened in this module, for the audit log.
 */
public final class NotificationEvents {

	private NotificationEvents() {
	}

	/** A sysadmin set, changed or removed the responsible person. */
	public record ResponsiblePersonChanged(String oldAddress, String newAddress, String actor) {
	}

	/** An episode opened and its one mail was queued. */
	public record LimitMailQueued(long outboxId, long episodeId, Pool pool, String kind, String trigger,
			String recipient, String actor) {
	}

	/** A licence-limit episode ended: the pool has a free licence again. */
	public record LimitEpisodeClosed(long episodeId, Pool pool, String kind, int refusedAttempts) {
	}

	/** A sysadmin sent a test mail; whether the mail server accepted it. */
	public record TestMailSent(String recipient, boolean accepted, String answer, String actor) {
	}

}
