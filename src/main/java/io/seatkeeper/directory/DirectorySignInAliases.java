package io.seatkeeper.directory;

import io.seatkeeper.people.DirectoryAccounts;
import io.seatkeeper.people.SignInAliases;

import org.springframework.stereotype.Component;

/**
 * A directory user's other sign-in names ({@link SignInNames}) stand for its username.
 */
@Component
class DirectorySignInAliases implements SignInAliases {

	private final DirectoryProperties properties;

	private final DirectorySettingsStore settings;

	private final DirectoryAccounts accounts;

	DirectorySignInAliases(DirectoryProperties properties, DirectorySettingsStore settings,
			DirectoryAccounts accounts) {
		this.accounts = accounts;
		this.properties = properties;
		this.settings = settings;
	}

	@Override
	public String username(String signInName) {
		if (signInName == null || (signInName.indexOf('@') < 0 && signInName.indexOf('\\') < 0)) {
			return signInName;
		}
		if (this.accounts.findByUsername(signInName).isPresent()) {
			// The username holds the @ itself (a username attribute such as
			// userPrincipalName).
			return signInName;
		}
		return SignInNames.of(this.properties, this.settings.current()).username(signInName).orElse(signInName);
	}

}
