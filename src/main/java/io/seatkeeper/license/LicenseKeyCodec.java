package io.seatkeeper.license;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.seatkeeper.license.LicenseKeyRefused.Reason;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads licence keys: a compact JWS (RFC 7515) signed with EdDSA over Ed25519
 * (RFC 8037), built with the JDK's own {@code Ed25519} signature and Jackson, so that no
 * further library is needed.
 * {@code base64url(header).base64url(claims).base64url(signature)}, the header
 * {@code {"alg":"EdDSA","typ":"seatkeeper-license+jwt"}}.
 */
final class LicenseKeyCodec {

	static final String ALGORITHM = "EdDSA";

	static final String TYPE = "seatkeeper-license+jwt";

	static final int MAX_LENGTH = 4000;

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder decoder = Base64.getUrlDecoder();

	private LicenseKeyCodec() {
	}

	/**
	 * Signs the key with the vendor's private key.
	 */
	static String sign(LicenseKey key, PrivateKey privateKey) {
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("alg", ALGORITHM);
		header.put("typ", TYPE);
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("serial", key.serial());
		claims.put("licensee", key.licensee());
		claims.put("Max_Users", key.maxUsers());
		claims.put("Max_extranet_users", key.maxExtranetUsers());
		claims.put("issued", key.issued().toString());
		if (key.expires() != null) {
			claims.put("expires", key.expires().toString());
		}
		if (key.request() != null) {
			claims.put("request", key.request());
		}
		String signingInput = encoder.encodeToString(json.writeValueAsBytes(header)) + "."
				+ encoder.encodeToString(json.writeValueAsBytes(claims));
		try {
			Signature signature = Signature.getInstance("Ed25519");
			signature.initSign(privateKey);
			signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
			return signingInput + "." + encoder.encodeToString(signature.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("The private key cannot sign with Ed25519: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Verifies the signature with the vendor's public key and reads the claims. Checks
	 * the form and the signature only: expiry, licensee and serial are the site's checks.
	 * @throws LicenseKeyRefused if it is malformed or its signature does not verify
	 */
	static LicenseKey verify(String token, PublicKey vendorKey) {
		if (vendorKey == null) {
			throw new LicenseKeyRefused(Reason.NO_VENDOR_KEY, "seatkeeper.license.vendor-public-key is not set");
		}
		String compact = (token != null) ? token.strip() : "";
		if (compact.isEmpty() || compact.length() > MAX_LENGTH) {
			throw new LicenseKeyRefused(Reason.MALFORMED, "empty or longer than " + MAX_LENGTH + " characters");
		}
		String[] parts = compact.split("\\.", -1);
		if (parts.length != 3) {
			throw new LicenseKeyRefused(Reason.MALFORMED, "not three dot-separated parts");
		}
		JsonNode header = decodeJson(parts[0], "header");
		if (!ALGORITHM.equals(text(header, "alg")) || !TYPE.equals(text(header, "typ"))) {
			throw new LicenseKeyRefused(Reason.MALFORMED, "the header does not name EdDSA and " + TYPE);
		}
		byte[] signatureBytes = decode(parts[2], "signature");
		try {
			Signature signature = Signature.getInstance("Ed25519");
			signature.initVerify(vendorKey);
			signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
			if (!signature.verify(signatureBytes)) {
				throw new LicenseKeyRefused(Reason.SIGNATURE, "the signature does not verify");
			}
		}
		catch (GeneralSecurityException ex) {
			throw new LicenseKeyRefused(Reason.SIGNATURE, "the signature does not verify: " + ex.getMessage());
		}
		JsonNode claims = decodeJson(parts[1], "claims");
		try {
			long serial = number(claims, "serial");
			String licensee = text(claims, "licensee");
			if (serial < 1 || licensee == null || licensee.isBlank()) {
				throw new LicenseKeyRefused(Reason.MALFORMED, "serial or licensee missing");
			}
			long maxUsers = number(claims, "Max_Users");
			long maxExtranet = number(claims, "Max_extranet_users");
			if (maxUsers < 0 || maxExtranet < 0 || maxUsers > Integer.MAX_VALUE || maxExtranet > Integer.MAX_VALUE) {
				throw new LicenseKeyRefused(Reason.MALFORMED, "a maximum out of range");
			}
			String issued = text(claims, "issued");
			if (issued == null) {
				throw new LicenseKeyRefused(Reason.MALFORMED, "issued missing");
			}
			String expires = text(claims, "expires");
			return new LicenseKey(serial, licensee.strip(), (int) maxUsers, (int) maxExtranet, LocalDate.parse(issued),
					(expires != null) ? LocalDate.parse(expires) : null, text(claims, "request"));
		}
		catch (DateTimeParseException ex) {
			throw new LicenseKeyRefused(Reason.MALFORMED, "a date is not YYYY-MM-DD");
		}
	}

	static KeyPair generateKeyPair() {
		try {
			return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("This Java has no Ed25519", ex);
		}
	}

	static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	/**
	 * Reads a public key from PEM ({@code BEGIN PUBLIC KEY}) or bare base64 of its X.509
	 * encoding.
	 */
	static PublicKey publicKey(String text) {
		try {
			return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der(text)));
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			throw new IllegalArgumentException("Not an Ed25519 public key (PEM or base64 of X.509)", ex);
		}
	}

	/**
	 * Reads a private key from PEM ({@code BEGIN PRIVATE KEY}) or bare base64 of its PKCS
	 * #8 encoding.
	 */
	static PrivateKey privateKey(String text) {
		try {
			return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der(text)));
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			throw new IllegalArgumentException("Not an Ed25519 private key (PEM or base64 of PKCS #8)", ex);
		}
	}

	private static byte[] der(String text) {
		String base64 = text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
		return Base64.getDecoder().decode(base64);
	}

	private static byte[] decode(String part, String what) {
		try {
			return decoder.decode(part);
		}
		catch (IllegalArgumentException ex) {
			throw new LicenseKeyRefused(Reason.MALFORMED, "the " + what + " is not base64url");
		}
	}

	private static JsonNode decodeJson(String part, String what) {
		try {
			JsonNode node = json.readTree(decode(part, what));
			if (node == null || !node.isObject()) {
				throw new LicenseKeyRefused(Reason.MALFORMED, "the " + what + " is not a JSON object");
			}
			return node;
		}
		catch (JacksonException ex) {
			throw new LicenseKeyRefused(Reason.MALFORMED, "the " + what + " is not JSON");
		}
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isString()) ? value.asString() : null;
	}

	private static long number(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || !value.isIntegralNumber()) {
			throw new LicenseKeyRefused(Reason.MALFORMED, field + " missing or not a whole number");
		}
		return value.asLong();
	}

}
