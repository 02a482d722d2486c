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

	SsoRefusal(String code, String description) {
		super(new OAuth2Error(code, description, null), description);
	}

}
