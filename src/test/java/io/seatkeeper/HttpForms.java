package io.seatkeeper;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a browser takes from the console's responses over real HTTP: the session cookie
 * and a form's CSRF token.
 */
public final class HttpForms {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

	private HttpForms() {
	}

	/**
	 * The session cookie the response sets, as a {@code Cookie} header sends it back
	 * ({@code SESSION=…}).
	 */
	public static String sessionCookie(HttpResponse<?> response) {
		return response.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter((cookie) -> cookie.startsWith("SESSION="))
			.map((cookie) -> cookie.substring(0, cookie.indexOf(';')))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No session cookie in " + response.headers()));
	}

	/**
	 * The CSRF token of the first form in the page.
	 */
	public static String csrf(String page) {
		Matcher matcher = CSRF.matcher(page);
		assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
		return matcher.group(1);
	}

	/**
	 * The value, encoded for a form's body.
	 */
	public static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
