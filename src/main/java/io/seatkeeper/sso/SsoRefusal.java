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

	private final String awaitingUsername;

	SsoRefusal(String code, String description) {
		this(code, description, null);
	}

	/**
	 * A refusal of a profile that awaits a licence ({@link #AWAITING}), whose place in
	 * the queue the page shows.
	 */
	SsoRefusal(String code, String description, String awaitingUsername) {
		super(new OAuth2Error(code, description, null), description);
		this.awaitingUsername = awaitingUsername;
	}

	/**
	 * The username of the profile that awaits a licence, or {@code null}.
	 */
	String awaitingUsername() {
		return this.awaitingUsername;
	}

}
