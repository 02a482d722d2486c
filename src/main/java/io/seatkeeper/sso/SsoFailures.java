package io.seatkeeper.sso;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * Sends a refused sign-in through a provider to the sign-in page with the reason:
 * blocked, no licence, username taken, invalid claims; anything else (a forged or expired
 * token, a wrong state or issuer, a provider that cannot be reached) is a failed sign-in.
 */
class SsoFailures implements AuthenticationFailureHandler {

	private static final Logger logger = LoggerFactory.getLogger(SsoFailures.class);

	private static final Map<String, String> PAGES = Map.of(SsoRefusal.BLOCKED, "/login?sso-blocked",
			SsoRefusal.NO_LICENSE, "/login?sso-no-license", SsoRefusal.USERNAME_TAKEN, "/login?sso-username-taken",
			SsoRefusal.INVALID, "/login?sso-invalid");

	private final RedirectStrategy redirects = new DefaultRedirectStrategy();

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		String code = (exception instanceof OAuth2AuthenticationException oauth2) ? oauth2.getError().getErrorCode()
				: "";
		String page = PAGES.get(code);
		if (page == null) {
			logger.warn("Sign-in through a provider failed: {}: {}", code, exception.getMessage());
			page = "/login?sso-failed";
		}
		else {
			logger.info("Sign-in through a provider refused: {}", exception.getMessage());
		}
		this.redirects.sendRedirect(request, response, page);
	}

}
