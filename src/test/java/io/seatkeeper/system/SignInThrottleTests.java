package io.seatkeeper.system;

import java.util.List;
import java.util.Locale;

import io.seatkeeper.NewProfiles;
import io.seatkeeper.Pools;
import io.seatkeeper.people.PeopleService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Sign-in throttling (R22): after ten failed sign-ins within five minutes for an account,
 * or from an address, further attempts are refused before the password is checked, on the
 * form and through HTTP Basic; every failure and every refusal is audited with the
 * address.
 */
@Tag("database")
@SpringBootTest(properties = "seatkeeper.admin.password=" + SecurityTests.ADMIN_PASSWORD)
@AutoConfigureMockMvc
class SignInThrottleTests {

	private static final String PASSWORD = "correct-horse-battery";

	@Autowired
	MockMvc mvc;

	@Autowired
	PeopleService people;

	@Autowired
	MessageSource messages;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void startFromKnownState() {
		Pools.reset(this.jdbc, 10, 5);
		this.jdbc.update("delete from audit_event");
		this.jdbc.update("delete from sign_in_failure");
	}

	// The context is shared with other sign-in tests: leave no lock behind.
	@AfterEach
	void forgetFailures() {
		this.jdbc.update("delete from sign_in_failure");
	}

	@Test
	void thirtyWrongPasswordsForAdminThroughTheFormAreThrottledAfterTen() throws Exception {
		for (int i = 1; i <= 30; i++) {
			this.mvc.perform(signIn("admin", "guess-" + i, "10.1.0.1"))
				.andExpect(unauthenticated())
				.andExpect(redirectedUrl((i <= 10) ? "/login?error" : "/login?throttled"));
		}

		this.mvc.perform(signIn("admin", SecurityTests.ADMIN_PASSWORD, "10.1.0.1"))
			.andExpect(unauthenticated())
			.andExpect(redirectedUrl("/login?throttled"));
		this.mvc.perform(get("/login?throttled"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(message("login.throttled.minutes", 5))));
		assertThat(audit("SIGN_IN_FAILED")).hasSize(10)
			.allSatisfy((details) -> assertThat(details).startsWith("address=10.1.0.1, way=form"));
		assertThat(audit("SIGN_IN_THROTTLED")).hasSize(21)
			.allSatisfy((details) -> assertThat(details).startsWith("address=10.1.0.1, way=form, refused until="));
		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'SIGN_IN_FAILED' and actor = 'admin' and subject = 'admin'",
				Integer.class))
			.isEqualTo(10);
	}

	@Test
	void thirtyWrongPasswordsForAdminThroughHttpBasicAreThrottledAfterTen() throws Exception {
		for (int i = 1; i <= 30; i++) {
			if (i <= 10) {
				this.mvc.perform(api("admin", "guess-" + i, "10.1.0.2")).andExpect(status().isUnauthorized());
			}
			else {
				this.mvc.perform(api("admin", "guess-" + i, "10.1.0.2"))
					.andExpect(status().isTooManyRequests())
					.andExpect(header().exists("Retry-After"))
					.andExpect(content().contentTypeCompatibleWith("application/problem+json"))
					.andExpect(jsonPath("$.type").value("urn:seatkeeper:problem:sign-in-throttled"))
					.andExpect(jsonPath("$.status").value(429));
			}
		}

		String retryAfter = this.mvc.perform(api("admin", SecurityTests.ADMIN_PASSWORD, "10.1.0.2"))
			.andExpect(status().isTooManyRequests())
			.andReturn()
			.getResponse()
			.getHeader("Retry-After");
		assertThat(Long.parseLong(retryAfter)).isBetween(250L, 300L);
		assertThat(audit("SIGN_IN_FAILED")).hasSize(10)
			.allSatisfy((details) -> assertThat(details).startsWith("address=10.1.0.2, way=basic"));
		assertThat(audit("SIGN_IN_THROTTLED")).hasSize(21)
			.allSatisfy((details) -> assertThat(details).startsWith("address=10.1.0.2, way=basic"));
	}

	@Test
	void theBuiltInAdministratorStillSignsInFromAnAddressThatHasNotFailed() throws Exception {
		for (int i = 1; i <= 10; i++) {
			this.mvc.perform(signIn("admin", "guess-" + i, "10.1.0." + (10 + i)));
		}
		this.mvc.perform(signIn("admin", SecurityTests.ADMIN_PASSWORD, "10.1.0.11"))
			.andExpect(redirectedUrl("/login?throttled"));

		this.mvc.perform(signIn("admin", SecurityTests.ADMIN_PASSWORD, "10.1.0.99"))
			.andExpect(authenticated().withUsername("admin"));
	}

	@Test
	void anAccountIsThrottledWhateverAddressTheFailuresCameFrom() throws Exception {
		aProfile("alice");
		for (int i = 1; i <= 10; i++) {
			this.mvc.perform(signIn("Alice", "guess-" + i, "10.2.0." + i)).andExpect(redirectedUrl("/login?error"));
		}

		this.mvc.perform(signIn("alice", PASSWORD, "10.2.0.99"))
			.andExpect(unauthenticated())
			.andExpect(redirectedUrl("/login?throttled"));
		this.mvc.perform(api("alice", PASSWORD, "10.2.0.98")).andExpect(status().isTooManyRequests());
	}

	@Test
	void anAddressIsThrottledForEveryAccount() throws Exception {
		aProfile("alice");
		for (int i = 1; i <= 10; i++) {
			this.mvc.perform(signIn("nobody-" + i, "guess", "10.3.0.1")).andExpect(redirectedUrl("/login?error"));
		}

		this.mvc.perform(signIn("alice", PASSWORD, "10.3.0.1")).andExpect(redirectedUrl("/login?throttled"));
		this.mvc.perform(signIn("alice", PASSWORD, "10.3.0.2")).andExpect(authenticated().withUsername("alice"));
	}

	@Test
	void anUnknownUsernameIsThrottledAsAKnownOneIs() throws Exception {
		for (int i = 1; i <= 11; i++) {
			this.mvc.perform(signIn("nobody", "guess", "10.4.0." + i))
				.andExpect(redirectedUrl((i <= 10) ? "/login?error" : "/login?throttled"));
		}
	}

	@Test
	void aSuccessfulSignInStartsTheAccountsCountAgain() throws Exception {
		aProfile("alice");
		for (int i = 1; i <= 9; i++) {
			this.mvc.perform(signIn("alice", "guess-" + i, "10.5.0." + i)).andExpect(redirectedUrl("/login?error"));
		}
		this.mvc.perform(signIn("alice", PASSWORD, "10.5.0.50")).andExpect(authenticated().withUsername("alice"));
		for (int i = 11; i <= 19; i++) {
			this.mvc.perform(signIn("alice", "guess-" + i, "10.5.0." + i)).andExpect(redirectedUrl("/login?error"));
		}

		this.mvc.perform(signIn("alice", PASSWORD, "10.5.0.51")).andExpect(authenticated().withUsername("alice"));
	}

	private MockHttpServletRequestBuilder signIn(String username, String password, String address) {
		return post("/login").param("username", username).param("password", password).with(csrf()).with(from(address));
	}

	private MockHttpServletRequestBuilder api(String username, String password, String address) {
		return get("/api/v1/license").with(httpBasic(username, password)).with(from(address));
	}

	static RequestPostProcessor from(String address) {
		return (request) -> {
			request.setRemoteAddr(address);
			return request;
		};
	}

	private void aProfile(String username) {
		this.people.create(NewProfiles.aProfile(username, null, PASSWORD), "admin");
	}

	private List<String> audit(String action) {
		return this.jdbc.queryForList("select details from audit_event where action = ? order by id", String.class,
				action);
	}

	private String message(String code, Object... arguments) {
		return this.messages.getMessage(code, arguments, Locale.ENGLISH);
	}

}
