package io.seatkeeper.sso;

/**
 * The facts that single sign-on publishes.
 */
public final class SsoEvents {

	private SsoEvents() {
	}

	/**
	 * A sign-in through a provider was refused; nothing was created.
	 *
	 * @param username the username the provider gave
	 * @param provider the provider's registration id
	 * @param reason why: {@code blocked}, {@code username-taken} or {@code invalid}
	 * @param details what the reason is about
	 */
	public record SsoSignInRefused(String username, String provider, String reason, String details) {
	}

	/**
	 * An existing profile was linked to a provider's subject at its first sign-in.
	 *
	 * @param username the profile's username
	 * @param provider the provider's registration id
	 * @param issuer the provider's issuer
	 */
	public record SsoIdentityLinked(String username, String provider, String issuer) {
	}

}
