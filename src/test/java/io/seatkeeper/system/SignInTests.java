package io.seatkeeper.system;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import jakarta.servlet.http.Cookie;

import io.seatkeeper.NewProfiles;
import io.seatkeeper.Pools;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Signing in with a password: the sign-in form, wrong passwords, blocked profiles (R9,
 * R15) and the built-in administrator.
 */
@SpringBootTest(properties = "seatkeeper.admin.password=" + SecurityTests.ADMIN_PASSWORD)
@AutoConfigureMockMvc
class SignInTests {

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
	}

	@Test
	void showsTheSignInFormWithUsernameAndPasswordFields() throws Exception {
		this.mvc.perform(get("/login"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("name=\"username\"")))
			.andExpect(content().string(containsString("name=\"password\"")))
			.andExpect(content().string(containsString("type=\"password\"")));
	}

	@Test
	void showsNoSingleSignOnButtonWhenNoProviderIsConfigured() throws Exception {
		this.mvc.perform(get("/login"))
			.andExpect(status().isOk())
			.andExpect(content().string(not(containsString("sso-providers"))))
			.andExpect(content().string(not(containsString("/oauth2/authorization/"))));
	}

	@Test
	void signsInWithTheRightPassword() throws Exception {
		aProfile("alice");

		MvcResult result = this.mvc.perform(formLogin().user("alice").password(PASSWORD))
			.andExpect(redirectedUrl("/"))
			.andExpect(authenticated().withUsername("alice").withRoles("USER"))
			.andReturn();

		Cookie session = result.getResponse().getCookie("SESSION");
		this.mvc.perform(get("/").cookie(session))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("alice@example.org")));
	}

	@Test
	void signsInIgnoringTheCaseOfTheUsername() throws Exception {
		aProfile("alice");

		this.mvc.perform(formLogin().user("ALICE").password(PASSWORD))
			.andExpect(redirectedUrl("/"))
			.andExpect(authenticated().withUsername("alice"));
	}

	@Test
	void refusesAWrongPasswordAndSaysSo() throws Exception {
		aProfile("alice");

		this.mvc.perform(formLogin().user("alice").password("not-the-password"))
			.andExpect(redirectedUrl("/login?error"))
			.andExpect(unauthenticated());

		this.mvc.perform(get("/login?error"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(message("login.error"))));
		assertThat(lastSignIn("alice")).isNull();
	}

	@Test
	void refusesAnUnknownUsernameAsAWrongPassword() throws Exception {
		this.mvc.perform(formLogin().user("nobody").password(PASSWORD))
			.andExpect(redirectedUrl("/login?error"))
			.andExpect(unauthenticated());
	}

	@Test
	void refusesSignInOfBlockedProfile() throws Exception {
		ProfileView alice = aProfile("alice");
		this.people.block(alice.id(), "admin");

		this.mvc.perform(formLogin().user("alice").password(PASSWORD))
			.andExpect(redirectedUrl("/login?blocked"))
			.andExpect(unauthenticated());

		this.mvc.perform(get("/login?blocked"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(message("login.blocked"))));
		assertThat(signInRefusals("alice")).isEqualTo(1);
		assertThat(lastSignIn("alice")).isNull();
	}

	@Test
	void doesNotRevealThatAProfileIsBlockedToAWrongPassword() throws Exception {
		ProfileView alice = aProfile("alice");
		this.people.block(alice.id(), "admin");

		this.mvc.perform(formLogin().user("alice").password("not-the-password"))
			.andExpect(redirectedUrl("/login?error"))
			.andExpect(unauthenticated());

		assertThat(signInRefusals("alice")).isZero();
	}

	@Test
	void endsTheSessionOfAProfileBlockedAfterItSignedIn() throws Exception {
		ProfileView alice = aProfile("alice");
		Cookie session = signIn("alice", PASSWORD);
		this.mvc.perform(get("/").cookie(session)).andExpect(status().isOk());

		this.people.block(alice.id(), "admin");

		// Ended at its next click (/login?blocked), or already deleted after the block's
		// commit (then the click is asked to sign in).
		this.mvc.perform(get("/").cookie(session))
			.andExpect(redirectedUrlPattern("/login*"))
			.andExpect(unauthenticated());
		await().atMost(Duration.ofSeconds(10)).until(() -> sessionRows("alice") == 0);
	}

	@Test
	void aChangeOfRolesTakesEffectAtTheNextClick() throws Exception {
		ProfileView alice = aProfile("alice");
		this.people.changeRoles(alice.id(), false, true, "admin");
		Cookie session = signIn("alice", PASSWORD);
		this.mvc.perform(get("/admin/people").cookie(session)).andExpect(status().isOk());
		this.mvc.perform(get("/admin/system").cookie(session)).andExpect(status().isForbidden());

		this.people.changeRoles(alice.id(), true, false, "admin");

		this.mvc.perform(get("/admin/people/new").cookie(session)).andExpect(status().isForbidden());
		this.mvc.perform(get("/admin/system").cookie(session)).andExpect(status().isOk());
	}

	@Test
	void endsTheSessionOfAProfileDeletedAfterItSignedIn() throws Exception {
		ProfileView alice = aProfile("alice");
		Cookie session = signIn("alice", PASSWORD);

		this.people.delete(alice.id(), "alice", "admin");

		this.mvc.perform(get("/").cookie(session)).andExpect(redirectedUrlPattern("/login*"));
		await().atMost(Duration.ofSeconds(10)).until(() -> sessionRows("alice") == 0);
	}

	@Test
	void recordsTheTimeOfTheLastSignIn() throws Exception {
		aProfile("alice");
		assertThat(lastSignIn("alice")).isNull();
		Instant before = Instant.now();

		signIn("alice", PASSWORD);

		Timestamp recorded = lastSignIn("alice");
		assertThat(recorded).isNotNull();
		assertThat(recorded.toInstant()).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
		assertThat(this.people.findByUsername("alice").orElseThrow().lastSignInAt()).isNotNull();
	}

	@Test
	void theBuiltInAdministratorSignsInWithBothRoles() throws Exception {
		MvcResult result = this.mvc.perform(formLogin().user("admin").password(SecurityTests.ADMIN_PASSWORD))
			.andExpect(redirectedUrl("/"))
			.andExpect(authenticated().withUsername("admin").withRoles("USER", "SYSADMIN", "PEOPLE_ADMIN"))
			.andReturn();

		Cookie session = result.getResponse().getCookie("SESSION");
		this.mvc.perform(get("/admin/system").cookie(session)).andExpect(status().isOk());
		this.mvc.perform(get("/admin/people/new").cookie(session)).andExpect(status().isOk());
		assertThat(lastSignIn("admin")).isNotNull();
	}

	@Test
	void aSignedOutSessionNoLongerOpensTheConsole() throws Exception {
		aProfile("alice");
		Cookie session = signIn("alice", PASSWORD);

		this.mvc.perform(post("/logout").cookie(session).with(csrf())).andExpect(redirectedUrl("/login?logout"));

		this.mvc.perform(get("/").cookie(session)).andExpect(redirectedUrl("/login"));
		assertThat(sessionRows("alice")).isZero();
	}

	private int sessionRows(String username) {
		return this.jdbc.queryForObject("select count(*) from spring_session where principal_name = ?", Integer.class,
				username);
	}

	private Cookie signIn(String username, String password) throws Exception {
		MvcResult result = this.mvc.perform(formLogin().user(username).password(password))
			.andExpect(redirectedUrl("/"))
			.andReturn();
		return result.getResponse().getCookie("SESSION");
	}

	private ProfileView aProfile(String username) {
		return this.people.create(NewProfiles.aProfile(username, null, PASSWORD), "admin");
	}

	private String message(String code) {
		return this.messages.getMessage(code, null, Locale.ENGLISH);
	}

	private int signInRefusals(String username) {
		return this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'SIGN_IN_REFUSED' and subject = ? and actor = ?",
				Integer.class, username, username);
	}

	private Timestamp lastSignIn(String username) {
		return this.jdbc.queryForObject("select last_sign_in_at from profile where username_key = ?", Timestamp.class,
				username);
	}

}
