package io.seatkeeper.people;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Signs profiles in with their password: a blocked profile, whatever the reason, is
 * disabled and gets no session. Records each successful sign-in.
 */
@Component
class ProfileSignIn implements UserDetailsService {

	private final Profiles profiles;

	ProfileSignIn(Profiles profiles) {
		this.profiles = profiles;
	}

	@Override
	@Transactional(readOnly = true)
	public UserDetails loadUserByUsername(String username) {
		Profile profile = this.profiles.findByUsernameKey(Profile.usernameKey(username))
			.filter((found) -> found.passwordHash() != null)
			.orElseThrow(() -> new UsernameNotFoundException("No profile with a password is called " + username));
		List<GrantedAuthority> authorities = new ArrayList<>();
		authorities.add(new SimpleGrantedAuthority("ROLE_USER"));
		if (profile.isSysadmin() || profile.isBuiltIn()) {
			authorities.add(new SimpleGrantedAuthority("ROLE_SYSADMIN"));
		}
		if (profile.isPeopleAdmin() || profile.isBuiltIn()) {
			authorities.add(new SimpleGrantedAuthority("ROLE_PEOPLE_ADMIN"));
		}
		return User.withUsername(profile.username())
			.password(profile.passwordHash())
			.disabled(!profile.isActive())
			.authorities(authorities)
			.build();
	}

	@EventListener
	@Transactional
	void recordSignIn(AuthenticationSuccessEvent event) {
		this.profiles.recordSignIn(Profile.usernameKey(event.getAuthentication().getName()), Instant.now());
	}

}
