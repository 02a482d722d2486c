package io.seatkeeper.sso;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One browser's way through the authorization-code flow, over HTTP: to the provider's
 * authorization endpoint, back to Seatkeeper with the code, to wherever Seatkeeper sends
 * it. Redirects are followed by hand, so that each step can be seen or tampered with;
 * cookies are kept, as a browser keeps them.
 */
final class OidcFlow {

	static final String CLIENT_ID = "seatkeeper";

	static final String ISSUER = "corporate";

	private final HttpClient http = HttpClient.newBuilder()
		.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

	private final URI app;

	OidcFlow(int port) {
		this.app = URI.create("http://localhost:" + port + "/");
	}

	/**
	 * Registers the provider's issuer {@link #ISSUER} with Seatkeeper as the registration
	 * {@code corporate}, by Spring's standard properties.
	 */
	static void register(DynamicPropertyRegistry registry, MockOAuth2Server provider) {
		String registration = "spring.security.oauth2.client.registration.corporate.";
		registry.add(registration + "client-id", () -> CLIENT_ID);
		registry.add(registration + "client-secret", () -> "not-a-secret");
		registry.add(registration + "client-name", () -> "Corporate Account");
		registry.add(registration + "scope", () -> "openid,profile,email");
		registry.add("spring.security.oauth2.client.provider.corporate.issuer-uri",
				() -> provider.issuerUrl(ISSUER).toString());
	}

	/**
	 * The provider's next token: this subject and these claims, signed by the issuer's
	 * key (or by another issuer's, to forge it), valid for the given seconds.
	 */
	static DefaultOAuth2TokenCallback token(String signingIssuer, String subject, Map<String, Object> claims,
			long expirySeconds) {
		return new DefaultOAuth2TokenCallback(signingIssuer, subject, "JWT", java.util.List.of(CLIENT_ID), claims,
				expirySeconds);
	}

	static DefaultOAuth2TokenCallback token(String subject, Map<String, Object> claims) {
		return token(ISSUER, subject, claims, 3600);
	}

	/**
	 * Signs in through a registration with the provider's next token; answers where
	 * Seatkeeper sends the browser at the end ({@code /} when signed in).
	 */
	String signIn(MockOAuth2Server provider, DefaultOAuth2TokenCallback token, String registrationId)
			throws IOException, InterruptedException {
		provider.enqueueCallback(token);
		return follow(callback(registrationId));
	}

	/**
	 * Starts a sign-in and goes through the provider: answers the address that brings the
	 * browser back to Seatkeeper with the code and the state.
	 */
	URI callback(String registrationId) throws IOException, InterruptedException {
		URI authorize = redirect(this.app.resolve("oauth2/authorization/" + registrationId));
		return redirect(authorize);
	}

	/**
	 * Opens an address of Seatkeeper's that redirects, answering the redirect's path and
	 * query.
	 */
	String follow(URI uri) throws IOException, InterruptedException {
		return path(redirect(uri));
	}

	/**
	 * A page of Seatkeeper's, as this browser sees it.
	 */
	HttpResponse<String> page(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(this.app.resolve(path.substring(1))).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Signs in on the form of {@code /login} with a password; answers where Seatkeeper
	 * sends the browser.
	 */
	String signInWithPassword(String username, String password) throws IOException, InterruptedException {
		String token = csrf(page("/login").body());
		return path(post("/login",
				"username=" + encode(username) + "&password=" + encode(password) + "&_csrf=" + encode(token)));
	}

	/**
	 * Signs out as the console's button does (a POST with the page's CSRF token); answers
	 * the address Seatkeeper sends the browser to, which may be the provider's.
	 */
	URI signOut() throws IOException, InterruptedException {
		String token = csrf(page("/").body());
		return post("/logout", "_csrf=" + encode(token));
	}

	/**
	 * Opens an address that is not Seatkeeper's (the provider's), answering where it
	 * redirects.
	 */
	URI redirectOf(URI uri) throws IOException, InterruptedException {
		return redirect(uri);
	}

	private URI post(String path, String form) throws IOException, InterruptedException {
		URI uri = this.app.resolve(path.substring(1));
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 302 && response.statusCode() != 303) {
			throw new IllegalStateException(
					uri + " answered " + response.statusCode() + " instead of a redirect: " + response.body());
		}
		return uri.resolve(response.headers().firstValue("Location").orElseThrow());
	}

	private static String path(URI target) {
		return target.getRawPath() + ((target.getRawQuery() != null) ? "?" + target.getRawQuery() : "");
	}

	private static String csrf(String page) {
		Matcher token = CSRF.matcher(page);
		if (!token.find()) {
			throw new IllegalStateException("No CSRF token on the page: " + page);
		}
		return token.group(1);
	}

	private static String encode(String value) {
		return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
	}

	private URI redirect(URI uri) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 302 && response.statusCode() != 303) {
			throw new IllegalStateException(
					uri + " answered " + response.statusCode() + " instead of a redirect: " + response.body());
		}
		String location = response.headers()
			.firstValue("Location")
			.orElseThrow(() -> new IllegalStateException(uri + " redirected nowhere"));
		return uri.resolve(location);
	}

}
