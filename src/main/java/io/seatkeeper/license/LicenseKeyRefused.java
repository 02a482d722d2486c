package io.seatkeeper.license;

/**
 * A licence key that cannot be applied, and why. Nothing was changed.
 */
public class LicenseKeyRefused extends RuntimeException {

	/**
	 * Why a key is refused; each reason has its message
	 * {@code license.key.refused.<reason>}.
	 */
	public enum Reason {

		/**
		 * Not a key at all: not three dot-separated parts, bad base64, bad JSON, a claim
		 * missing.
		 */
		MALFORMED,
		/** Signed with another key pair, or changed after signing. */
		SIGNATURE,
		/** Past its expiry date. */
		EXPIRED,
		/** Its serial is not higher than the current key's. */
		OLDER,
		/** Issued to another licensee than this site's. */
		LICENSEE,
		/** This site has no vendor public key configured to verify it with. */
		NO_VENDOR_KEY

	}

	private final Reason reason;

	private final String detail;

	public LicenseKeyRefused(Reason reason, String detail) {
		super(reason + ": " + detail);
		this.reason = reason;
		this.detail = detail;
	}

	/**
	 * What exactly was wrong, in a few words.
	 */
	public String detail() {
		return this.detail;
	}

	public Reason reason() {
		return this.reason;
	}

	/**
	 * The message code of the reason.
	 */
	public String code() {
		return "license.key.refused." + this.reason.name();
	}

}
