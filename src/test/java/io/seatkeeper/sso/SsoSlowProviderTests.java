package io.seatkeeper.sso;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;
import io.seatkeeper.Pools;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider whose key set answers slowly, as a busy or distant one does: its ID tokens
 * are still checked and its people signed in, within {@code seatkeeper.sso.key-set-*}
 * time-outs, where Spring Security's own half second would refuse them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SsoSlowProviderTests {

	static final MockOAuth2Server provider = new MockOAuth2Server();

	static HttpServer slowKeySet;

	@DynamicPropertySource
	static void provider(DynamicPropertyRegistry registry) throws IOException {
		provider.start();
		slowKeySet = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
		slowKeySet.createContext("/jwks", (exchange) -> {
			try {
				// The provider takes one and a half seconds to answer.
				Thread.sleep(1500);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			byte[] keys;
			try (InputStream in = provider.jwksUrl(OidcFlow.ISSUER).url().openStream()) {
				keys = in.readAllBytes();
			}
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, keys.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(keys);
			}
		});
		slowKeySet.setExecutor(Executors.newCachedThreadPool());
		slowKeySet.start();
		String registration = "spring.security.oauth2.client.registration.slow.";
		registry.add(registration + "client-id", () -> OidcFlow.CLIENT_ID);
		registry.add(registration + "client-secret", () -> "not-a-secret");
		registry.add(registration + "scope", () -> "openid,profile,email");
		registry.add(registration + "authorization-grant-type", () -> "authorization_code");
		registry.add(registration + "redirect-uri", () -> "{baseUrl}/login/oauth2/code/{registrationId}");
		String details = "spring.security.oauth2.client.provider.slow.";
		registry.add(details + "authorization-uri",
				() -> provider.authorizationEndpointUrl(OidcFlow.ISSUER).toString());
		registry.add(details + "token-uri", () -> provider.tokenEndpointUrl(OidcFlow.ISSUER).toString());
		registry.add(details + "user-info-uri", () -> provider.userInfoUrl(OidcFlow.ISSUER).toString());
		registry.add(details + "user-name-attribute", () -> "sub");
		registry.add(details + "jwk-set-uri", () -> "http://localhost:" + slowKeySet.getAddress().getPort() + "/jwks");
	}

	@AfterAll
	static void stopProvider() {
		provider.shutdown();
		slowKeySet.stop(0);
	}

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void aProviderWhoseKeySetAnswersSlowlyStillSignsPeopleIn() throws Exception {
		Pools.reset(this.jdbc, 10, 5);
		OidcFlow browser = new OidcFlow(this.port);

		String landing = browser.signIn(provider, OidcFlow.token("sub-patient", Map.of("preferred_username", "patient",
				"email", "patient@example.org", "given_name", "Pat", "family_name", "Ient")), "slow");

		assertThat(landing).isEqualTo("/");
		assertThat(this.jdbc.queryForObject(
				"select count(*) from profile where username = 'patient' and state = 'ACTIVE' and source = 'SSO'",
				Integer.class))
			.isEqualTo(1);
	}

}
