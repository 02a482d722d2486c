package io.seatkeeper.session;

import io.seatkeeper.people.ProfileEvents.ProfileBlocked;
import io.seatkeeper.people.ProfileEvents.ProfileDeleted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;

/**
 * Ends every session of a profile that was blocked or deleted, on every node: its rows
 * are deleted after the commit, by the session's principal name (the username). The
 * console's check at each request ({@code ActiveProfileFilter}) would end them at their
 * next click anyway; this leaves no session of the profile behind, not even one that
 * never clicks again.
 */
@Component
class SignOutEverywhere {

	private static final Logger logger = LoggerFactory.getLogger(SignOutEverywhere.class);

	private final FindByIndexNameSessionRepository<? extends Session> sessions;

	SignOutEverywhere(FindByIndexNameSessionRepository<? extends Session> sessions) {
		this.sessions = sessions;
	}

	@ApplicationModuleListener(propagation = Propagation.NOT_SUPPORTED)
	void on(ProfileBlocked event) {
		signOut(event.username());
	}

	@ApplicationModuleListener(propagation = Propagation.NOT_SUPPORTED)
	void on(ProfileDeleted event) {
		signOut(event.username());
	}

	/**
	 * Deletes every session whose principal is the username.
	 * @return how many sessions ended
	 */
	int signOut(String username) {
		int ended = 0;
		for (String id : this.sessions.findByPrincipalName(username).keySet()) {
			this.sessions.deleteById(id);
			ended++;
		}
		if (ended > 0) {
			logger.info("Signed out {} session(s) of {}", ended, username);
		}
		return ended;
	}

}
