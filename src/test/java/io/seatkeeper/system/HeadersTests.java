package io.seatkeeper.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The headers a browser enforces and the session cookie's attributes, as a browser gets
 * them from the running server (Tomcat writes the session cookie, so only a real server
 * shows it): the console's Content-Security-Policy, Referrer-Policy and
 * Permissions-Policy; the API's policy for JSON; a session cookie that is
 * {@code SameSite=Lax} and {@code HttpOnly}, and {@code Secure} behind a proxy that ends
 * TLS.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "seatkeeper.admin.password=" + HeadersTests.ADMIN_PASSWORD)
class HeadersTests {

	static final String ADMIN_PASSWORD = "headers-admin-secret";

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Test
	void consolePagesAllowOnlySeatkeepersOwnOrigin() throws Exception {
		for (String path : List.of("/login", "/admin/system", "/css/seatkeeper.css")) {
			HttpResponse<String> response = get(path);

			assertThat(header(response, "Content-Security-Policy")).as(path)
				.isEqualTo("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
						+ "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
						+ "form-action 'self'; frame-ancestors 'none'");
			assertThat(header(response, "Referrer-Policy")).as(path).isEqualTo("same-origin");
			assertThat(header(response, "Permissions-Policy")).as(path)
				.contains("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()");
			assertThat(header(response, "X-Content-Type-Options")).as(path).isEqualTo("nosniff");
			assertThat(header(response, "X-Frame-Options")).as(path).isEqualTo("DENY");
		}
	}

	@Test
	void theApiDescriptionsUiAloneMaySetInlineStyles() throws Exception {
		assertThat(header(get("/swagger-ui/index.html"), "Content-Security-Policy"))
			.isEqualTo("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
					+ "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
					+ "form-action 'self'; frame-ancestors 'none'");
		assertThat(header(get("/v3/api-docs"), "Content-Security-Policy")).contains("style-src 'self';");
	}

	@Test
	void apiAnswersMayNeitherRunNorLoadAnything() throws Exception {
		HttpResponse<String> refused = get("/api/v1/license");
		HttpResponse<String> answered = send(request("/api/v1/license").header("Authorization", "Basic "
				+ Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8))));

		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(answered.statusCode()).isEqualTo(200);
		for (HttpResponse<String> response : List.of(refused, answered)) {
			assertThat(header(response, "Content-Security-Policy"))
				.isEqualTo("default-src 'none'; frame-ancestors 'none'");
			assertThat(header(response, "X-Content-Type-Options")).isEqualTo("nosniff");
			assertThat(header(response, "Referrer-Policy")).isEqualTo("no-referrer");
			assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
		}
	}

	@Test
	void sessionCookieIsSameSiteLaxAndHttpOnly() throws Exception {
		String cookie = sessionCookie(get("/login"));

		assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").doesNotContain("Secure");
	}

	@Test
	void sessionCookieIsSecureBehindAProxyThatEndsTls() throws Exception {
		HttpResponse<String> response = send(
				request("/login").header("X-Forwarded-Proto", "https").header("X-Forwarded-For", "203.0.113.7"));

		assertThat(sessionCookie(response)).contains("Secure").contains("HttpOnly").contains("SameSite=Lax");
		assertThat(header(response, "Strict-Transport-Security")).contains("max-age=");
	}

	private String sessionCookie(HttpResponse<String> response) {
		return response.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter((cookie) -> cookie.startsWith("SESSION="))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No session cookie in " + response.headers()));
	}

	private static String header(HttpResponse<String> response, String name) {
		return response.headers().firstValue(name).orElse(null);
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return send(request(path));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.build(), BodyHandlers.ofString());
	}

}
