package io.seatkeeper.license;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Licence settings. Without a key, a new site runs on the evaluation licence
 * ({@value LicensePoolInitializer#EVALUATION_MAX_USERS} primary,
 * {@value LicensePoolInitializer#EVALUATION_MAX_EXTRANET_USERS} extranet); only a key
 * signed by the vendor changes the totals.
 *
 * @param vendorPublicKey the vendor's Ed25519 public key that licence keys are verified
 * with, PEM ({@code -----BEGIN PUBLIC KEY-----}) or base64 of its X.509 encoding; unset,
 * no key can be applied
 * @param key a licence key applied at start like a pasted one, for example from the
 * environment variable {@code SEATKEEPER_LICENSE_KEY}; a key already applied (the same
 * serial) or an older one is left alone
 * @param vendorEmail the vendor's address that licence requests are mailed to; unset,
 * requests are recorded but not mailed
 */
@ConfigurationProperties("seatkeeper.license")
public record LicenseProperties(String vendorPublicKey, String key, String vendorEmail) {

	boolean hasVendorKey() {
		return this.vendorPublicKey != null && !this.vendorPublicKey.isBlank();
	}

	boolean hasKey() {
		return this.key != null && !this.key.isBlank();
	}

	boolean hasVendorEmail() {
		return this.vendorEmail != null && !this.vendorEmail.isBlank();
	}

}
