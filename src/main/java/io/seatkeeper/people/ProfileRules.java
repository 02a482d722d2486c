package io.seatkeeper.people;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The limits every way in (form, API, CSV, directory, SSO) holds a profile's fields to.
 */
public final class ProfileRules {

	/** Longest username. */
	public static final int USERNAME_MAX = 64;

	/** Longest e-mail address. */
	public static final int EMAIL_MAX = 254;

	/** Longest first or last name. */
	public static final int NAME_MAX = 100;

	/** Longest area name. */
	public static final int AREA_NAME_MAX = 80;

	/** Shortest password. */
	public static final int PASSWORD_MIN = 8;

	/**
	 * Longest password, in characters (and at most 72 bytes in UTF-8, BCrypt's limit).
	 */
	public static final int PASSWORD_MAX = 72;

	/** Letters, digits and {@code . _ - @}, starting with a letter or digit. */
	public static final String USERNAME_PATTERN = "[\\p{L}\\p{N}][\\p{L}\\p{N}._@-]*";

	/** The username pattern, or nothing (which {@code @NotBlank} reports on its own). */
	public static final String USERNAME_OR_EMPTY = "|" + USERNAME_PATTERN;

	/**
	 * A plain address: something, one {@code @}, a domain with a dot; no spaces nor
	 * control characters.
	 */
	public static final String EMAIL_PATTERN = "[^@\\s\\p{Cntrl}]+@[^@\\s\\p{Cntrl}]+\\.[^@\\s\\p{Cntrl}]+";

	/** The e-mail pattern, or nothing (which {@code @NotBlank} reports on its own). */
	public static final String EMAIL_OR_EMPTY = "|" + EMAIL_PATTERN;

	/** No control characters in names. */
	public static final String NAME_PATTERN = "[^\\p{Cntrl}]*";

	private static final Pattern USERNAME = Pattern.compile(USERNAME_PATTERN);

	private static final Pattern EMAIL = Pattern.compile(EMAIL_PATTERN);

	private static final Pattern NAME = Pattern.compile(NAME_PATTERN);

	private ProfileRules() {
	}

	/**
	 * Whether the username is well formed.
	 */
	public static boolean validUsername(String username) {
		return username != null && fits(username, USERNAME_MAX) && USERNAME.matcher(username).matches();
	}

	/**
	 * Whether the e-mail address is well formed.
	 */
	public static boolean validEmail(String email) {
		return email != null && fits(email, EMAIL_MAX) && EMAIL.matcher(email).matches();
	}

	/**
	 * Whether the name is short enough and free of control characters.
	 */
	public static boolean validName(String name) {
		return name != null && fits(name, NAME_MAX) && NAME.matcher(name).matches();
	}

	/**
	 * Whether the value has at most {@code max} characters, and so has the lower-case key
	 * it is stored beside and compared by, which can be longer ({@code İ} becomes two
	 * characters).
	 */
	public static boolean fits(String value, int max) {
		return value.length() <= max && value.toLowerCase(Locale.ROOT).length() <= max;
	}

	/**
	 * Whether the password fits BCrypt's 72 bytes.
	 */
	public static boolean passwordFits(String password) {
		return password == null || password.getBytes(StandardCharsets.UTF_8).length <= 72;
	}

	/**
	 * The lower-case key a username or an area name is stored beside, unique by and
	 * compared by: surrounding spaces and case do not count.
	 */
	public static String key(String value) {
		return value.strip().toLowerCase(Locale.ROOT);
	}

}
