package io.seatkeeper.sso;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.authentication.logout.LogoutSuccessHandler;

/**
 * Where signing out leads. A person signed in through a provider that advertises an
 * {@code end_session_endpoint} (in its discovery metadata) is sent there, with the ID
 * token as {@code id_token_hint} and {@code post_logout_redirect_uri} back to
 * {@code /login?logout}, so that the provider's session ends too (OpenID Connect
 * RP-initiated logout); anyone else goes to {@code /login?logout}, as with passwords
 * only.
 */
final class SsoSignOut implements LogoutSuccessHandler {

	/** Where the provider sends the browser back, and where everyone else goes. */
	static final String SIGNED_OUT = "/login?logout";

	private final OidcClientInitiatedLogoutSuccessHandler provider;

	SsoSignOut(ClientRegistrationRepository registrations) {
		this.provider = new OidcClientInitiatedLogoutSuccessHandler(registrations);
		this.provider.setPostLogoutRedirectUri("{baseUrl}" + SIGNED_OUT);
		this.provider.setDefaultTargetUrl(SIGNED_OUT);
	}

	@Override
	public void onLogoutSuccess(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
			throws IOException, ServletException {
		this.provider.onLogoutSuccess(request, response, providerSession(authentication));
	}

	/**
	 * The session's authentication as Spring's handler recognises a provider's session:
	 * when a change of roles was taken into the session, the authentication was replaced
	 * by one that is no longer the provider's token, but its principal still is the
	 * provider's user.
	 */
	private static Authentication providerSession(Authentication authentication) {
		if (authentication != null && !(authentication instanceof OAuth2AuthenticationToken)
				&& authentication.getPrincipal() instanceof SsoUser user && user.registrationId() != null) {
			return new OAuth2AuthenticationToken(user, authentication.getAuthorities(), user.registrationId());
		}
		return authentication;
	}

}
