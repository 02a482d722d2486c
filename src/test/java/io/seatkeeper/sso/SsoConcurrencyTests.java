package io.seatkeeper.sso;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.seatkeeper.Pools;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
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
 * First sign-ins racing for the last licences (R4), on H2 and on PostgreSQL: twenty
 * people unknown to Seatkeeper sign in at once through a real provider while five
 * licences are free; exactly five profiles are created, the other fifteen are refused,
 * and the pool's counter equals its rows.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.datasource.hikari.maximum-pool-size=16")
@Tag("database")
class SsoConcurrencyTests {

	static final MockOAuth2Server provider = new MockOAuth2Server();

	@DynamicPropertySource
	static void provider(DynamicPropertyRegistry registry) {
		provider.start();
		OidcFlow.register(registry, provider);
	}

	@AfterAll
	static void stopProvider() {
		provider.shutdown();
	}

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void twentyConcurrentFirstSignInsTakeExactlyTheFiveFreeLicenses() throws Exception {
		// One sign-in before the race, as on a site that has been running.
		OidcFlow first = new OidcFlow(this.port);
		assertThat(first.signIn(provider,
				OidcFlow.token("sub-first", Map.of("preferred_username", "first", "email", "first@example.org")),
				"corporate"))
			.isEqualTo("/");
		Pools.reset(this.jdbc, 5, 5);
		this.jdbc.update("delete from audit_event");
		int people = 20;
		List<OidcFlow> browsers = new ArrayList<>();
		for (int i = 0; i < people; i++) {
			String username = "racer" + i;
			provider.enqueueCallback(aToken(username));
			browsers.add(new OidcFlow(this.port));
		}
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(people);
		List<Future<String>> landings = new ArrayList<>();
		try {
			for (OidcFlow browser : browsers) {
				Callable<String> signIn = () -> {
					start.await();
					return browser.follow(browser.callback("corporate"));
				};
				landings.add(threads.submit(signIn));
			}
			start.countDown();
			List<String> pages = new ArrayList<>();
			for (Future<String> landing : landings) {
				pages.add(landing.get(120, TimeUnit.SECONDS));
			}

			// On a busy machine, fetching the provider's keys may time out (Nimbus's 500
			// ms):
			// that person sees "sign-in failed", nothing is created, and they try again.
			List<String> refused = this.jdbc
				.queryForList("select subject from audit_event where action = 'LICENSE_REFUSED'", String.class);
			List<String> created = this.jdbc.queryForList("select username from profile where built_in = false",
					String.class);
			for (int i = 0; i < people; i++) {
				String username = "racer" + i;
				if (!refused.contains(username) && !created.contains(username)) {
					assertThat(pages.remove("/login?sso-failed")).isTrue();
					pages.add(new OidcFlow(this.port).signIn(provider, aToken(username), "corporate"));
				}
			}

			assertThat(pages).filteredOn("/"::equals).hasSize(5);
			assertThat(pages).filteredOn("/login?sso-no-license"::equals).hasSize(15);
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(this.jdbc.queryForObject("select count(*) from profile where built_in = false", Integer.class))
			.isEqualTo(5);
		assertThat(this.jdbc.queryForObject("select count(*) from sso_identity", Integer.class)).isEqualTo(5);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(5).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
		assertThat(this.jdbc.queryForObject("select count(*) from audit_event where action = 'LICENSE_REFUSED'",
				Integer.class))
			.isEqualTo(15);
		assertThat(this.jdbc.queryForObject("select count(*) from audit_event where action = 'PROFILE_CREATED'",
				Integer.class))
			.isEqualTo(5);
	}

	private static no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback aToken(String username) {
		return OidcFlow.token("sub-" + username, Map.of("preferred_username", username, "email",
				username + "@example.org", "given_name", "Racer", "family_name", username));
	}

}
