package io.seatkeeper.directory;

import java.util.Optional;

import io.seatkeeper.people.DirectoryAccount;
import io.seatkeeper.people.DirectoryAccounts;
import io.seatkeeper.people.DormantSignIn;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileView;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Component;

/**
 * Signs directory users in with their directory password: it binds to the directory with
 * the profile's DN and the password given. The password is checked first and the
 * profile's state after, so that only someone who knows the password learns that the
 * profile is blocked; a blocked profile (for any reason, awaiting a licence included)
 * gets no session.
 * <p>
 * Besides the username ({@code sAMAccountName}), the user principal name and
 * {@code DOMAIN\\user} sign the same profile in, ignoring case ({@link SignInNames}); the
 * session's name is always the profile's username.
 */
@Component
class DirectorySignIn implements AuthenticationProvider {

	private final DirectoryAccounts accounts;

	private final PeopleService people;

	private final DirectorySettingsStore settings;

	private final DirectoryReader reader;

	private final DirectoryProperties properties;

	private final DormantSignIn dormant;

	DirectorySignIn(DirectoryAccounts accounts, PeopleService people, DirectorySettingsStore settings,
			DirectoryReader reader, DirectoryProperties properties, DormantSignIn dormant) {
		this.dormant = dormant;
		this.properties = properties;
		this.accounts = accounts;
		this.people = people;
		this.settings = settings;
		this.reader = reader;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		DirectorySettings current = this.settings.current();
		Optional<DirectoryAccount> account = find(authentication.getName(), current);
		if (account.isEmpty() || account.get().dn() == null) {
			// Not a directory profile: the other providers answer.
			return null;
		}
		if (!current.configured()) {
			throw new BadCredentialsException("Bad credentials");
		}
		Object credentials = authentication.getCredentials();
		boolean bound;
		try {
			bound = this.reader.bind(current, account.get().dn(), (credentials != null) ? credentials.toString() : "");
		}
		catch (RuntimeException ex) {
			throw new AuthenticationServiceException("The directory could not be reached", ex);
		}
		if (!bound) {
			throw new BadCredentialsException("Bad credentials");
		}
		ProfileView profile = this.people.get(account.get().id());
		if (!profile.active()) {
			// A dormant profile comes back through the gate, or learns its place in the
			// queue (AwaitingLicense); any other blocked profile is refused.
			if (!this.dormant.comeBack(profile.username())) {
				throw new DisabledException("The profile is blocked");
			}
			profile = this.people.get(account.get().id());
		}
		UserDetails user = User.withUsername(profile.username())
			.password("")
			.authorities(profile.authorities().toArray(String[]::new))
			.build();
		return UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities());
	}

	/**
	 * The directory profile of the name: the name as typed first (a username attribute
	 * such as {@code userPrincipalName} holds the {@code @} itself), then the username
	 * the name stands for.
	 */
	private Optional<DirectoryAccount> find(String name, DirectorySettings current) {
		if (name == null) {
			return Optional.empty();
		}
		return this.accounts.findByUsername(name)
			.or(() -> SignInNames.of(this.properties, current)
				.username(name)
				.filter((username) -> !username.equals(name))
				.flatMap(this.accounts::findByUsername));
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
