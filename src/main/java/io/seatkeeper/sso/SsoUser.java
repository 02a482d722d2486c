package io.seatkeeper.sso;

import java.util.Collection;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;

/**
 * A person signed in through a provider, named by their profile's username, so that the
 * session, the audit log and the last sign-in speak of the profile.
 */
class SsoUser extends DefaultOidcUser {

	private final String username;

	SsoUser(String username, Collection<? extends GrantedAuthority> authorities, OidcIdToken idToken,
			OidcUserInfo userInfo) {
		super(authorities, idToken, userInfo);
		this.username = username;
	}

	@Override
	public String getName() {
		return this.username;
	}

	@Override
	public boolean equals(Object other) {
		return super.equals(other) && this.username.equals(((SsoUser) other).username);
	}

	@Override
	public int hashCode() {
		return super.hashCode() * 31 + this.username.hashCode();
	}

}
