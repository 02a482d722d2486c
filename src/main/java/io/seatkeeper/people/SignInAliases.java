package io.seatkeeper.people;

/**
 * The username that a name typed at sign-in stands for: a directory user's user principal
 * name or {@code DOMAIN\\user} stands for its username, so that every name of one account
 * counts as that one account (the sign-in throttle's failures, the audit).
 */
public interface SignInAliases {

	/**
	 * The username the name stands for, or the name itself.
	 */
	String username(String signInName);

}
