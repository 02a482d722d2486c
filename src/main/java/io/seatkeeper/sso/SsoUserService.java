package io.seatkeeper.sso;

import io.seatkeeper.people.ProfileView;

import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Turns a provider's verified user into a signed-in profile: named by the profile's
 * username and holding the profile's roles, as this sign-in left them.
 */
class SsoUserService implements OAuth2UserService<OidcUserRequest, OidcUser> {

	private final OidcUserService provider = new OidcUserService();

	private final SsoAccounts accounts;

	SsoUserService(SsoAccounts accounts) {
		this.accounts = accounts;
	}

	@Override
	public OidcUser loadUser(OidcUserRequest request) {
		OidcUser user = this.provider.loadUser(request);
		String registrationId = request.getClientRegistration().getRegistrationId();
		ProfileView profile;
		try {
			profile = this.accounts.signIn(registrationId, user);
		}
		catch (OAuth2AuthenticationException refusal) {
			throw refusal;
		}
		catch (RuntimeException ex) {
			// A failure of ours (the database, say) is a failed sign-in page, never an
			// error page.
			throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.SERVER_ERROR), ex.toString(), ex);
		}
		return new SsoUser(profile.username(), AuthorityUtils.createAuthorityList(profile.authorities()),
				user.getIdToken(), user.getUserInfo(), registrationId);
	}

}
