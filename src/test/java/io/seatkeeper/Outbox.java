package io.seatkeeper;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The mail outbox and the licence-limit episodes, emptied between tests.
 */
public final class Outbox {

	private Outbox() {
	}

	/**
	 * Deletes every queued mail, its attempts and every episode, so that the next limit
	 * event opens a new episode.
	 */
	public static void clear(JdbcTemplate jdbc) {
		jdbc.update("delete from mail_attempt");
		jdbc.update("delete from mail_outbox");
		jdbc.update("update notification_watch set open_episode_id = null");
		jdbc.update("delete from notification_episode");
	}

}
