package io.seatkeeper.session;

import io.seatkeeper.scheduling.ScheduledJobs;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.stereotype.Component;

/**
 * Deletes the expired sessions' rows, once a minute across the nodes. It replaces Spring
 * Session's own cleanup ({@code spring.session.jdbc.cleanup-cron=-}), which every node
 * would run: the delete is harmless when repeated, but one node a minute is enough.
 */
@Component
class SessionCleanup {

	private final JdbcIndexedSessionRepository sessions;

	private final ScheduledJobs jobs;

	SessionCleanup(JdbcIndexedSessionRepository sessions, ScheduledJobs jobs) {
		this.sessions = sessions;
		this.jobs = jobs;
	}

	@Scheduled(cron = "${seatkeeper.session.cleanup-cron:0 * * * * *}")
	void cleanUpOnSchedule() {
		this.jobs.runOnce("session-cleanup", "30s", this.sessions::cleanUpExpiredSessions);
	}

}
