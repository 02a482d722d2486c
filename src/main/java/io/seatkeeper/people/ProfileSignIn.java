package io.seatkeeper.people;

import java.time.Instant;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
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

	private final ProfileLedger ledger;

	ProfileSignIn(Profiles profiles, ProfileLedger ledger) {
		this.profiles = profiles;
		this.ledger = ledger;
	}

	@Override
	@Transactional(readOnly = true)
	public UserDetails loadUserByUsername(String username) {
		Profile profile = this.profiles.findByUsernameKey(Profile.usernameKey(username))
			.filter((found) -> found.passwordHash() != null)
			.orElseThrow(() -> new UsernameNotFoundException("No profile with a password is called " + username));
		return User.withUsername(profile.username())
			.password(profile.passwordHash())
			.disabled(!profile.isActive())
			.authorities(profile.view().authorities().toArray(String[]::new))
			.build();
	}

	// Spring Security publishes this outside any transaction, so there is no commit to
	// wait
	// for: the last sign-in is written at once, in a transaction of its own.
	@EventListener
	@Transactional
	void recordSignIn(AuthenticationSuccessEvent event) {
		this.ledger.recordSignIn(event.getAuthentication().getName(), Instant.now());
	}

}
