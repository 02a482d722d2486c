package io.seatkeeper.sso;

import java.util.Collection;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;

/**
 * A person signed in through a provider, named by their profile's username, so that the
 * session, the audit log and the last sign-in speak of the profile; it remembers the
 * provider (its registration id), to end the provider's session at sign-out.
 */
class SsoUser extends DefaultOidcUser {

	// The same as before the registration id was kept: a session stored earlier is still
	// read (without it, and then signs out of Seatkeeper only).
	private static final long serialVersionUID = -8183543216691931615L;

	private final String username;

	private final String registrationId;

	SsoUser(String username, Collection<? extends GrantedAuthority> authorities, OidcIdToken idToken,
			OidcUserInfo userInfo, String registrationId) {
		super(authorities, idToken, userInfo);
		this.username = username;
		this.registrationId = registrationId;
	}

	/**
	 * The registration id of the provider this person signed in through; {@code null} in
	 * a session stored before it was kept.
	 */
	String registrationId() {
		return this.registrationId;
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
