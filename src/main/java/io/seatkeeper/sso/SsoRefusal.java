package io.seatkeeper.sso;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;

/**
 * A sign-in through a provider that Seatkeeper refuses; its error code chooses the page
 * the person sees.
 */
class SsoRefusal extends OAuth2AuthenticationException {

	static final String BLOCKED = "sso_blocked";

	static final String NO_LICENSE = "sso_no_license";

	static final String USERNAME_TAKEN = "sso_username_taken";

	static final String INVALID = "sso_invalid";

	static final String AWAITING = "sso_awaiting";

	private final int position;

	SsoRefusal(String code, String description) {
		this(code, description, 0);
	}

	private SsoRefusal(String code, String description, int position) {
		super(new OAuth2Error(code, description, null), description);
		this.position = position;
	}

	/**
	 * The profile awaits a licence: the person is told their place in the queue.
	 */
	static SsoRefusal awaiting(String description, int position) {
		return new SsoRefusal(AWAITING, description, position);
	}

	/**
	 * The place in the queue of a profile that awaits a licence, from 1; {@code 0}
	 * otherwise.
	 */
	int position() {
		return this.position;
	}

}
