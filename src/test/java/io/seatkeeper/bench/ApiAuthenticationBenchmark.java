package io.seatkeeper.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import io.seatkeeper.tokens.ApiTokens;
import io.seatkeeper.tokens.TokenScope;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What authenticating an API call costs, over HTTP on PostgreSQL: the same
 * {@code GET /api/v1/license} with a bearer token and with HTTP Basic (a password hash
 * per call), against the raw baseline of an unauthenticated {@code GET /actuator/health}
 * in the same run; and the check alone, a token's against a password's. The figures go to
 * {@code target/bench/api-authentication.txt}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "seatkeeper.admin.password=" + ApiAuthenticationBenchmark.PASSWORD)
class ApiAuthenticationBenchmark {

	static final String PASSWORD = "bench-admin-secret-1";

	static final int ROUNDS = Integer.getInteger("bench.rounds", 200);

	@LocalServerPort
	int port;

	@Autowired
	ApiTokens tokens;

	@Autowired
	PasswordEncoder passwordEncoder;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void aTokenCostsAboutWhatNoAuthenticationDoes() throws Exception {
		String token = this.tokens.create("bench-" + System.nanoTime(), Set.of(TokenScope.API_READ), null, "bench")
			.token();
		String basic = "Basic "
				+ Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
		double health = time(() -> get("/actuator/health", null));
		double bearer = time(() -> get("/api/v1/license", "Bearer " + token));
		double password = time(() -> get("/api/v1/license", basic));
		String hash = this.passwordEncoder.encode(PASSWORD);
		double check = time(() -> assertThat(this.tokens.check(token).accepted()).isTrue());
		double matches = time(() -> assertThat(this.passwordEncoder.matches(PASSWORD, hash)).isTrue());

		List<String> lines = new ArrayList<>();
		lines.add(String.format("rounds: %d (medians, ms)", ROUNDS));
		lines.add(String.format("%-44s %10.3f", "GET /actuator/health, no authentication", health));
		lines.add(String.format("%-44s %10.3f %8.2f", "GET /api/v1/license, bearer token", bearer, bearer / health));
		lines.add(String.format("%-44s %10.3f %8.2f", "GET /api/v1/license, HTTP Basic", password, password / health));
		lines.add(String.format("HTTP Basic / bearer token: %.1f", password / bearer));
		lines.add(String.format("%-44s %10.4f", "ApiTokens.check", check));
		lines.add(String.format("%-44s %10.4f", "PasswordEncoder.matches", matches));
		lines.add(String.format("password check / token check: %.0f", matches / check));
		Path out = Path.of("target", "bench", "api-authentication.txt");
		Files.createDirectories(out.getParent());
		Files.write(out, lines);
		lines.forEach(System.out::println);
		assertThat(bearer / health).as("a bearer call / an unauthenticated call").isLessThan(5);
		assertThat(password / bearer).as("HTTP Basic costs more than a token").isGreaterThan(1);
	}

	private void get(String path, String authorization) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static double time(Runnable action) {
		for (int i = 0; i < 20; i++) {
			action.run();
		}
		double[] samples = new double[ROUNDS];
		for (int i = 0; i < ROUNDS; i++) {
			long start = System.nanoTime();
			action.run();
			samples[i] = (System.nanoTime() - start) / 1_000_000.0;
		}
		Arrays.sort(samples);
		return samples[ROUNDS / 2];
	}

}
