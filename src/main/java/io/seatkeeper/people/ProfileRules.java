package io.seatkeeper.people;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The limits every way in (form, API, CSV, directory, SSO) holds a profile's fields to.
 * Forms and API requests declare them with the constraints {@link Username},
 * {@link Email}, {@link Name} and {@link Password}; the other ways in call the
 * {@code valid…} methods with the same limits.
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

	/**
	 * Nothing, or at least {@value #PASSWORD_MIN} characters on one line (a blank
	 * password leaves a profile that cannot sign in with one).
	 */
	public static final String PASSWORD_OR_EMPTY = "^$|^.{" + PASSWORD_MIN + ",}$";

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

	/**
	 * A required username of at most {@value #USERNAME_MAX} characters that matches
	 * {@link #USERNAME_PATTERN}. Each rule it breaks is its own field error.
	 */
	@NotBlank
	@Size(max = USERNAME_MAX)
	@jakarta.validation.constraints.Pattern(regexp = USERNAME_OR_EMPTY, message = "{profile.username.invalid}")
	@Constraint(validatedBy = {})
	@Target({ ElementType.METHOD, ElementType.FIELD, ElementType.ANNOTATION_TYPE, ElementType.CONSTRUCTOR,
			ElementType.PARAMETER, ElementType.TYPE_USE })
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	public @interface Username {

		String message() default "{profile.username.invalid}";

		Class<?>[] groups() default {};

		Class<? extends Payload>[] payload() default {};

	}

	/**
	 * A required e-mail address of at most {@value #EMAIL_MAX} characters that matches
	 * {@link #EMAIL_PATTERN}. Each rule it breaks is its own field error.
	 */
	@NotBlank
	@Size(max = EMAIL_MAX)
	@jakarta.validation.constraints.Pattern(regexp = EMAIL_OR_EMPTY, message = "{profile.email.invalid}")
	@Constraint(validatedBy = {})
	@Target({ ElementType.METHOD, ElementType.FIELD, ElementType.ANNOTATION_TYPE, ElementType.CONSTRUCTOR,
			ElementType.PARAMETER, ElementType.TYPE_USE })
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	public @interface Email {

		String message() default "{profile.email.invalid}";

		Class<?>[] groups() default {};

		Class<? extends Payload>[] payload() default {};

	}

	/**
	 * A required first or last name of at most {@value #NAME_MAX} characters without
	 * control characters. Each rule it breaks is its own field error.
	 */
	@NotBlank
	@Size(max = NAME_MAX)
	@jakarta.validation.constraints.Pattern(regexp = NAME_PATTERN, message = "{profile.name.invalid}")
	@Constraint(validatedBy = {})
	@Target({ ElementType.METHOD, ElementType.FIELD, ElementType.ANNOTATION_TYPE, ElementType.CONSTRUCTOR,
			ElementType.PARAMETER, ElementType.TYPE_USE })
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	public @interface Name {

		String message() default "{profile.name.invalid}";

		Class<?>[] groups() default {};

		Class<? extends Payload>[] payload() default {};

	}

	/**
	 * An optional password: blank, or {@value #PASSWORD_MIN} to {@value #PASSWORD_MAX}
	 * characters. Each rule it breaks is its own field error.
	 */
	@Size(max = PASSWORD_MAX)
	@jakarta.validation.constraints.Pattern(regexp = PASSWORD_OR_EMPTY, message = "{profile.password.invalid}")
	@Constraint(validatedBy = {})
	@Target({ ElementType.METHOD, ElementType.FIELD, ElementType.ANNOTATION_TYPE, ElementType.CONSTRUCTOR,
			ElementType.PARAMETER, ElementType.TYPE_USE })
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	public @interface Password {

		String message() default "{profile.password.invalid}";

		Class<?>[] groups() default {};

		Class<? extends Payload>[] payload() default {};

	}

}
