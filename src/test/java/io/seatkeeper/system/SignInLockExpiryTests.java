package io.seatkeeper.system;

import java.time.Duration;
import java.util.Locale;

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

import static io.seatkeeper.system.SignInThrottleTests.from;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A lock always runs out: the built-in administrator signs in with the right password
 * once {@code lock-for} (two seconds here) has passed, even from the address that failed.
 */
@SpringBootTest(properties = { "seatkeeper.admin.password=" + SecurityTests.ADMIN_PASSWORD,
		"seatkeeper.security.sign-in.lock-for=2s" })
@AutoConfigureMockMvc
@Tag("database")
class SignInLockExpiryTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	MessageSource messages;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void forgetFailures() {
		this.jdbc.update("delete from sign_in_failure");
	}

	@Test
	void theRightPasswordWorksAgainOnceTheLockRanOut() throws Exception {
		for (int i = 1; i <= 10; i++) {
			this.mvc.perform(signIn("guess-" + i)).andExpect(redirectedUrl("/login?error"));
		}
		this.mvc.perform(signIn(SecurityTests.ADMIN_PASSWORD)).andExpect(redirectedUrl("/login?throttled"));
		this.mvc.perform(get("/login?throttled"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(
					this.messages.getMessage("login.throttled.seconds", new Object[] { 2 }, Locale.ENGLISH))));

		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> this.mvc.perform(signIn(SecurityTests.ADMIN_PASSWORD))
				.andReturn()
				.getResponse()
				.getRedirectedUrl()
				.equals("/"));
		this.mvc.perform(signIn(SecurityTests.ADMIN_PASSWORD)).andExpect(authenticated().withUsername("admin"));
		this.mvc
			.perform(get("/api/v1/license").with(httpBasic("admin", SecurityTests.ADMIN_PASSWORD))
				.with(from("10.6.0.1")))
			.andExpect(status().isOk());
	}

	private MockHttpServletRequestBuilder signIn(String password) {
		return post("/login").param("username", "admin")
			.param("password", password)
			.with(csrf())
			.with(from("10.6.0.1"));
	}

}
