package io.seatkeeper.sso;

import java.io.IOException;
import java.util.Map;

import io.seatkeeper.sso.SsoEvents.SsoSignInFailed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * Sends a refused sign-in through a provider to the sign-in page with the reason:
 * blocked, no licence, username taken, invalid claims; anything else (a forged or expired
 * token, a wrong state, issuer or audience, a provider that cannot be reached) is a
 * failed sign-in, and audited here, since Spring Security refused it before Seatkeeper's
 * user service ran. A sign-in started for a provider that is not configured (a stale
 * bookmark) is the sign-in page with a message.
 */
class SsoFailures implements AuthenticationFailureHandler {

	private static final Logger logger = LoggerFactory.getLogger(SsoFailures.class);

	private static final String CALLBACK = "/login/oauth2/code/";

	private static final String START = "/oauth2/authorization/";

	private static final Map<String, String> PAGES = Map.of(SsoRefusal.BLOCKED, "/login?sso-blocked",
			SsoRefusal.NO_LICENSE, "/login?sso-no-license", SsoRefusal.USERNAME_TAKEN, "/login?sso-username-taken",
			SsoRefusal.INVALID, "/login?sso-invalid");

	private final RedirectStrategy redirects = new DefaultRedirectStrategy();

	private final ApplicationEventPublisher events;

	private final ClientRegistrationRepository registrations;

	SsoFailures(ApplicationEventPublisher events, ClientRegistrationRepository registrations) {
		this.events = events;
		this.registrations = registrations;
	}

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		String code = (exception instanceof OAuth2AuthenticationException oauth2) ? oauth2.getError().getErrorCode()
				: "";
		String page = PAGES.get(code);
		if (exception instanceof SsoRefusal refusal && SsoRefusal.AWAITING.equals(code)) {
			page = "/login?sso-awaiting=" + refusal.position();
		}
		if (page == null) {
			logger.warn("Sign-in through a provider failed: {}: {}", code, exception.getMessage());
			audit(new SsoSignInFailed(registrationId(request, CALLBACK), code.isEmpty() ? "unknown" : code,
					request.getRemoteAddr(), exception.getMessage()));
			page = "/login?sso-failed";
		}
		else {
			// Already audited by SsoAccounts, which refused it.
			logger.info("Sign-in through a provider refused: {}", exception.getMessage());
		}
		this.redirects.sendRedirect(request, response, page);
	}

	/**
	 * The failure of a sign-in's start ({@code /oauth2/authorization/{id}}): the sign-in
	 * page saying that no such provider is configured when the id is unknown, otherwise a
	 * failed sign-in; never an error page.
	 */
	void onStartFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
			throws IOException {
		String registrationId = registrationId(request, START);
		if (this.registrations.findByRegistrationId(registrationId) == null) {
			logger.info("Sign-in through a provider that is not configured: {}", registrationId);
			this.redirects.sendRedirect(request, response, "/login?sso-unknown");
			return;
		}
		logger.warn("Sign-in through {} could not start: {}", registrationId, exception.getMessage(), exception);
		audit(new SsoSignInFailed(registrationId, OAuth2ErrorCodes.SERVER_ERROR, request.getRemoteAddr(),
				String.valueOf(exception.getMessage())));
		this.redirects.sendRedirect(request, response, "/login?sso-failed");
	}

	private void audit(SsoSignInFailed failure) {
		try {
			this.events.publishEvent(failure);
		}
		catch (RuntimeException ex) {
			// The page must still say that the sign-in failed, even if its audit line
			// cannot be written (the database is down, say).
			logger.error("The failed sign-in through {} could not be audited", failure.provider(), ex);
		}
	}

	private static String registrationId(HttpServletRequest request, String prefix) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		int at = path.indexOf(prefix);
		String id = (at >= 0) ? path.substring(at + prefix.length()) : path;
		int end = id.indexOf('/');
		return (end >= 0) ? id.substring(0, end) : id;
	}

}
