package io.seatkeeper.system;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.seatkeeper.Nodes;
import io.seatkeeper.TwoNodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static io.seatkeeper.system.SignInThrottleTests.from;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Two application nodes on one PostgreSQL database count failed sign-ins together: the
 * failures on one node throttle the account on the other, and failures counted on both at
 * once are each counted and lock once.
 */
@Tag("database")
@Tag("postgresql-only")
class TwoNodeSignInThrottleTests {

	@RegisterExtension
	static final TwoNodes nodes = TwoNodes.of(2);

	@BeforeEach
	void forgetFailures() {
		nodes.node(0).getBean(JdbcTemplate.class).update("delete from sign_in_failure");
	}

	@Test
	void failuresOnOneNodeThrottleTheAccountOnTheOther() throws Exception {
		MockMvc a = Nodes.mvc(nodes.node(0));
		MockMvc b = Nodes.mvc(nodes.node(1));
		for (int i = 1; i <= 10; i++) {
			a.perform(signIn("guess-" + i, "10.7.0.1")).andExpect(redirectedUrl("/login?error"));
		}

		b.perform(signIn(Nodes.ADMIN_PASSWORD, "10.7.0.1")).andExpect(redirectedUrl("/login?throttled"));
		b.perform(get("/api/v1/license").with(httpBasic("admin", Nodes.ADMIN_PASSWORD)).with(from("10.7.0.1")))
			.andExpect(status().isTooManyRequests());
		JdbcTemplate jdbc = nodes.node(1).getBean(JdbcTemplate.class);
		assertThat(jdbc.queryForObject(
				"select count(*) from audit_event where action = 'SIGN_IN_THROTTLED' and details like 'address=10.7.0.1,%'",
				Integer.class))
			.isEqualTo(2);
	}

	@Test
	void failuresOnBothNodesAtOnceAreEachCountedAndLockOnce() throws Exception {
		MockMvc a = Nodes.mvc(nodes.node(0));
		MockMvc b = Nodes.mvc(nodes.node(1));
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Callable<String>> attempts = new ArrayList<>();
			for (int i = 0; i < 9; i++) {
				MockMvc node = (i % 2 == 0) ? a : b;
				String address = "10.8.0." + i;
				attempts.add(() -> node.perform(signIn("guess", address)).andReturn().getResponse().getRedirectedUrl());
			}
			for (Future<String> answer : threads.invokeAll(attempts)) {
				assertThat(answer.get()).isEqualTo("/login?error");
			}
		}
		finally {
			threads.shutdownNow();
		}
		JdbcTemplate jdbc = nodes.node(0).getBean(JdbcTemplate.class);
		assertThat(jdbc.queryForObject("select failures from sign_in_failure where kind = 'ACCOUNT' and name = 'admin'",
				Integer.class))
			.isEqualTo(9);

		b.perform(signIn("guess", "10.8.0.50")).andExpect(redirectedUrl("/login?error"));
		a.perform(signIn(Nodes.ADMIN_PASSWORD, "10.8.0.50")).andExpect(redirectedUrl("/login?throttled"));
	}

	private static MockHttpServletRequestBuilder signIn(String password, String address) {
		return post("/login").param("username", "admin").param("password", password).with(csrf()).with(from(address));
	}

}
