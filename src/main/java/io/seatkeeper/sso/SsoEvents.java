package io.seatkeeper.sso;

/**
 * The facts that single sign-on publishes.
 */
public final class SsoEvents {

	private SsoEvents() {
	}

	/**
	 * A sign-in through a provider was refused after the provider's ID token was checked;
	 * nothing was created. Who tried is the provider's identity (issuer and subject): the
	 * username it claimed is only what the token said.
	 *
	 * @param provider the provider's registration id
	 * @param issuer the provider's issuer
	 * @param subject the person's subject ({@code sub}) at the provider
	 * @param claimedUsername the username the token claimed; {@code null} when none
	 * @param profile the username of the profile linked to this identity, when the
	 * refusal is about it (a blocked profile); {@code null} otherwise
	 * @param reason why: {@code blocked}, {@code username-taken} or {@code invalid}
	 * @param details what the reason is about
	 */
	public record SsoSignInRefused(String provider, String issuer, String subject, String claimedUsername,
			String profile, String reason, String details) {

		/**
		 * The provider's identity, as the audit log names it:
		 * {@code sso:<subject>@<issuer>}.
		 */
		public String actor() {
			return SsoEvents.actor(this.subject, this.issuer);
		}

	}

	/**
	 * A sign-in through a provider failed before Seatkeeper knew who it was: the answer
	 * or its ID token was refused (forged, expired, another issuer or audience, a wrong
	 * state), or the provider could not be reached.
	 *
	 * @param provider the provider's registration id, as the answer's address named it
	 * @param error the OAuth 2.0 error code, e.g. {@code invalid_id_token}
	 * @param address the client's address
	 * @param description what was wrong
	 */
	public record SsoSignInFailed(String provider, String error, String address, String description) {

		/**
		 * Who tried, as far as is known: {@code sso:<provider>}, since nothing the answer
		 * claimed can be trusted.
		 */
		public String actor() {
			return "sso:" + this.provider;
		}

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

	static String actor(String subject, String issuer) {
		return "sso:" + subject + "@" + issuer;
	}

}
