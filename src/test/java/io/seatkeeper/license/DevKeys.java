package io.seatkeeper.license;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.LocalDate;

import org.springframework.core.io.ClassPathResource;

/**
 * The development key pair of {@code src/test/resources/license} (the demo profile uses
 * its public key), and a second, foreign pair. Keys are signed with the vendor tool's own
 * code.
 */
public final class DevKeys {

	/** The public key of {@code dev-vendor-public.pem}, as a site configures it. */
	public static final String PUBLIC_KEY = read("license/dev-vendor-public.pem");

	/** The same, base64 of its X.509 encoding without the PEM lines. */
	public static final String PUBLIC_KEY_BASE64 = PUBLIC_KEY.replaceAll("-----[A-Z ]+-----|\\s", "");

	public static final String LICENSEE = "Example Corp";

	private DevKeys() {
	}

	public static String sign(long serial, int maxUsers, int maxExtranetUsers) {
		return sign(serial, LICENSEE, maxUsers, maxExtranetUsers, null, null);
	}

	public static String sign(long serial, String licensee, int maxUsers, int maxExtranetUsers, LocalDate expires,
			String request) {
		return LicenseKeyCodec.sign(
				new LicenseKey(serial, licensee, maxUsers, maxExtranetUsers, LocalDate.now(), expires, request),
				privateKey("license/dev-vendor-private.pem"));
	}

	static String signWithAnotherKeyPair(long serial, int maxUsers, int maxExtranetUsers) {
		return LicenseKeyCodec.sign(
				new LicenseKey(serial, LICENSEE, maxUsers, maxExtranetUsers, LocalDate.now(), null, null),
				privateKey("license/other-vendor-private.pem"));
	}

	static PrivateKey privateKey(String resource) {
		return LicenseKeyCodec.privateKey(read(resource));
	}

	static String read(String resource) {
		try {
			return new ClassPathResource(resource).getContentAsString(StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
