package io.seatkeeper.directory;

import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import io.seatkeeper.Pools;
import io.seatkeeper.people.AreaService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The settings page (kept in the database here), the API, the run page, and directory
 * sign-in with the directory password.
 */
@SpringBootTest(properties = { "seatkeeper.admin.password=" + DirectoryConsoleTests.ADMIN_PASSWORD,
		"seatkeeper.directory.cron=-" })
@AutoConfigureMockMvc
class DirectoryConsoleTests {

	static final String ADMIN_PASSWORD = "built-in-secret-77";

	static final TestDirectory directory = new TestDirectory();

	@AfterAll
	static void stopDirectory() {
		directory.shutDown();
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	AreaService areas;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void reset() {
		Pools.reset(this.jdbc, 2, 3);
		this.areas.createExtranet("Partners", "admin");
		this.jdbc.update("delete from directory_run");
		this.jdbc.update("update directory_lock set run_id = null, locked_at = null");
		this.jdbc.update(
				"update directory_settings set url = ?, bind_dn = ?, bind_password = ?, base_dn = ?, "
						+ "area_mapping = ?, max_block_percent = null",
				directory.url(), TestDirectory.BIND_DN, TestDirectory.BIND_PASSWORD, TestDirectory.BASE,
				TestDirectory.MAPPING);
		directory.reset();
		this.jdbc.update("delete from sign_in_failure");
	}

	@Test
	void theApiStartsARunAndReportsItAsJson() throws Exception {
		directory.addUser(TestDirectory.STAFF, "api1");
		directory.addUser(TestDirectory.STAFF, "api2");
		directory.addUser(TestDirectory.STAFF, "api3");

		MvcResult started = this.mvc.perform(post("/api/v1/directory/sync").with(httpBasic("admin", ADMIN_PASSWORD)))
			.andExpect(status().isAccepted())
			.andReturn();
		String id = JsonPath.read(started.getResponse().getContentAsString(), "$.id");

		await().atMost(Duration.ofSeconds(30))
			.until(() -> "DONE"
				.equals(this.jdbc.queryForObject("select state from directory_run where id = ?", String.class, id)));
		this.mvc.perform(get("/api/v1/directory/runs/" + id).with(httpBasic("admin", ADMIN_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.state").value("DONE"))
			.andExpect(jsonPath("$.entriesRead").value(3))
			.andExpect(jsonPath("$.createdActive").value(2))
			.andExpect(jsonPath("$.createdAwaiting").value(1))
			.andExpect(jsonPath("$.leftAwaiting").value(1));
	}

	@Test
	void theApiTellsWhyARunFailedInTextWithItsCode() throws Exception {
		this.jdbc.update("update directory_settings set url = 'ldap://127.0.0.1:1'");

		MvcResult started = this.mvc.perform(post("/api/v1/directory/sync").with(httpBasic("admin", ADMIN_PASSWORD)))
			.andExpect(status().isAccepted())
			.andReturn();
		String id = JsonPath.read(started.getResponse().getContentAsString(), "$.id");

		await().atMost(Duration.ofSeconds(30))
			.until(() -> "FAILED"
				.equals(this.jdbc.queryForObject("select state from directory_run where id = ?", String.class, id)));
		this.mvc.perform(get("/api/v1/directory/runs/" + id).with(httpBasic("admin", ADMIN_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.state").value("FAILED"))
			.andExpect(jsonPath("$.code").value("directory.failure.connectionRefused"))
			.andExpect(jsonPath("$.detail").value("127.0.0.1:1"))
			.andExpect(jsonPath("$.message")
				.value("The directory refused the connection: nothing listens on 127.0.0.1:1. Nothing was changed."));
	}

	@Test
	void theApiRefusesASecondRunWhileOneIsGoingOn() throws Exception {
		this.jdbc.update("update directory_lock set run_id = 'other-node-run', locked_at = current_timestamp");

		this.mvc.perform(post("/api/v1/directory/sync").with(httpBasic("admin", ADMIN_PASSWORD)))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.runningId").value("other-node-run"))
			.andExpect(jsonPath("$.code").value("directory.run.running"))
			.andExpect(jsonPath("$.message").value("A directory sync is running already."));
		assertThat(this.jdbc.queryForObject("select count(*) from directory_run", Integer.class)).isZero();
	}

	@Test
	void anUnknownRunIsNotFound() throws Exception {
		this.mvc.perform(get("/api/v1/directory/runs/no-such-run").with(httpBasic("admin", ADMIN_PASSWORD)))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.code").value("directory.run.notFound"))
			.andExpect(jsonPath("$.message").isString());
		this.mvc.perform(get("/admin/system/directory/runs/no-such-run").with(admin()))
			.andExpect(status().isNotFound());
	}

	@Test
	void syncNowShowsTheRunAndItsReport() throws Exception {
		directory.addUser(TestDirectory.STAFF, "page1");
		MvcResult started = this.mvc.perform(post("/admin/system/directory/sync").with(admin()).with(csrf()))
			.andExpect(status().is3xxRedirection())
			.andReturn();
		String location = started.getResponse().getRedirectedUrl();
		assertThat(location).startsWith("/admin/system/directory/runs/");
		String id = location.substring(location.lastIndexOf('/') + 1);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> "DONE"
				.equals(this.jdbc.queryForObject("select state from directory_run where id = ?", String.class, id)));

		String page = this.mvc.perform(get(location).with(admin()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("Created active").contains("id=\"count-created-active\">1<");
		this.mvc.perform(get(location + "/progress").with(admin()))
			.andExpect(status().isOk())
			.andExpect(result -> assertThat(result.getResponse().getHeader("HX-Redirect")).isEqualTo(location));
	}

	@Test
	void theSettingsPageNeverShowsThePassword() throws Exception {
		this.mvc.perform(get("/admin/system/directory").with(admin()))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.containsString(directory.url())))
			.andExpect(content()
				.string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(TestDirectory.BIND_PASSWORD))));
	}

	@Test
	void invalidSettingsAreRefusedFieldByFieldAndChangeNothing() throws Exception {
		String page = this.mvc
			.perform(post("/admin/system/directory").with(admin())
				.with(csrf())
				.param("url", "http://dc1.example.org")
				.param("baseDn", "not a dn")
				.param("userFilter", "objectClass=user")
				.param("usernameAttribute", "sAM Account")
				.param("areaMapping", "OU=Staff,DC=example,DC=org -> Nowhere")
				.param("maxBlockPercent", "120"))
			.andExpect(status().isBadRequest())
			.andReturn()
			.getResponse()
			.getContentAsString();

		assertThat(page).contains("starts with ldap:// or ldaps://")
			.contains("not a valid distinguished name")
			.contains("not a valid LDAP filter")
			.contains("An attribute name has letters")
			.contains("Line 1: there is no area called &quot;Nowhere&quot;")
			.contains("from 0 to 100");
		assertThat(this.jdbc.queryForObject("select url from directory_settings", String.class))
			.isEqualTo(directory.url());
	}

	@Test
	void validSettingsAreSavedAndAnEmptyPasswordKeepsTheStoredOne() throws Exception {
		this.mvc
			.perform(post("/admin/system/directory").with(admin())
				.with(csrf())
				.param("url", "ldaps://dc2.example.org:636")
				.param("bindDn", TestDirectory.BIND_DN)
				.param("bindPassword", "")
				.param("baseDn", TestDirectory.BASE)
				.param("userFilter", "(objectClass=user)")
				.param("usernameAttribute", "sAMAccountName")
				.param("areaMapping", TestDirectory.STAFF + " -> Primary Area")
				.param("cron", "0 */30 * * * *")
				.param("activateWhenFree", "true")
				.param("maxBlockPercent", "15"))
			.andExpect(status().is3xxRedirection());

		assertThat(this.jdbc.queryForMap("select * from directory_settings where id = 1"))
			.containsEntry("URL", "ldaps://dc2.example.org:636")
			.containsEntry("BIND_PASSWORD", TestDirectory.BIND_PASSWORD)
			.containsEntry("CRON", "0 */30 * * * *")
			.containsEntry("ACTIVATE_WHEN_FREE", true)
			.containsEntry("MAX_BLOCK_PERCENT", 15);
	}

	@Test
	void dormantDirectoryUserComesBackBySigningInWithTheDirectoryPassword() throws Exception {
		directory.addUser(TestDirectory.STAFF, "sleeper");
		this.mvc.perform(post("/api/v1/directory/sync").with(httpBasic("admin", ADMIN_PASSWORD)))
			.andExpect(status().isAccepted());
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.queryForObject(
					"select count(*) from profile where username = 'sleeper' and state = 'ACTIVE'", Integer.class) == 1
					&& this.jdbc.queryForObject("select count(*) from directory_lock where run_id is null",
							Integer.class) == 1);
		// As the reclaim job leaves it: blocked as dormant, its licence given back.
		this.jdbc.update("update profile set state = 'BLOCKED', block_reason = 'DORMANT', blocked_at = ? "
				+ "where username = 'sleeper'", java.sql.Timestamp.from(java.time.Instant.now()));
		this.jdbc.update("update license_pool set active_count = active_count - 1 where pool = 'PRIMARY'");

		this.mvc.perform(formLogin("/login").user("sleeper").password("wrong-password"))
			.andExpect(redirectedUrl("/login?error"));
		assertThat(
				this.jdbc.queryForObject("select block_reason from profile where username = 'sleeper'", String.class))
			.isEqualTo("DORMANT");
		this.mvc.perform(formLogin("/login").user("sleeper").password(TestDirectory.password("sleeper")))
			.andExpect(authenticated().withUsername("sleeper"));

		assertThat(this.jdbc.queryForObject("select state from profile where username = 'sleeper'", String.class))
			.isEqualTo("ACTIVE");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
	}

	@Test
	void directoryUsersSignInWithTheirDirectoryPasswordOnlyWhenActive() throws Exception {
		directory.addUser(TestDirectory.STAFF, "active1");
		directory.addUser(TestDirectory.STAFF, "active2");
		directory.addUser(TestDirectory.STAFF, "waiting");
		this.mvc.perform(post("/api/v1/directory/sync").with(httpBasic("admin", ADMIN_PASSWORD)))
			.andExpect(status().isAccepted());
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.queryForObject("select count(*) from profile where source = 'DIRECTORY'",
					Integer.class) == 3
					&& this.jdbc.queryForObject("select count(*) from directory_lock where run_id is null",
							Integer.class) == 1);

		this.mvc.perform(formLogin("/login").user("active1").password(TestDirectory.password("active1")))
			.andExpect(authenticated().withUsername("active1"));
		this.mvc.perform(formLogin("/login").user("active1").password("wrong-password"))
			.andExpect(unauthenticated())
			.andExpect(redirectedUrl("/login?error"));
		// Awaiting a licence: the page of its place in the queue.
		this.mvc.perform(formLogin("/login").user("waiting").password(TestDirectory.password("waiting")))
			.andExpect(unauthenticated())
			.andExpect(redirectedUrl("/login/awaiting"));
		long id = this.jdbc.queryForObject("select id from profile where username = 'active2'", Long.class);
		this.jdbc.update("update profile set state = 'BLOCKED', block_reason = 'ADMINISTRATOR' where id = ?", id);
		this.jdbc.update("update license_pool set active_count = active_count - 1 where pool = 'PRIMARY'");
		this.mvc.perform(formLogin("/login").user("active2").password(TestDirectory.password("active2")))
			.andExpect(unauthenticated())
			.andExpect(redirectedUrl("/login?blocked"));
	}

	@Test
	void theDirectoryBindIsThrottledBeforeItIsTried() throws Exception {
		directory.addUser(TestDirectory.STAFF, "bind1");
		this.mvc.perform(post("/api/v1/directory/sync").with(httpBasic("admin", ADMIN_PASSWORD)))
			.andExpect(status().isAccepted());
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.queryForObject("select count(*) from profile where source = 'DIRECTORY'",
					Integer.class) == 1
					&& this.jdbc.queryForObject("select count(*) from directory_lock where run_id is null",
							Integer.class) == 1);
		this.jdbc.update("delete from audit_event");
		for (int i = 1; i <= 10; i++) {
			this.mvc.perform(signIn("bind1", "wrong-password-" + i, "10.9.0." + i))
				.andExpect(redirectedUrl("/login?error"));
		}

		// Out of reach, the directory would fail the bind as an error: the throttle
		// answers
		// before any bind is tried.
		this.jdbc.update("update directory_settings set url = 'ldap://127.0.0.1:1'");
		this.mvc.perform(signIn("bind1", TestDirectory.password("bind1"), "10.9.0.50"))
			.andExpect(unauthenticated())
			.andExpect(redirectedUrl("/login?throttled"));
		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'SIGN_IN_FAILED' and subject = 'bind1' and details like '%way=directory%'",
				Integer.class))
			.isEqualTo(10);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'SIGN_IN_THROTTLED' and details like 'address=10.9.0.50,%'",
				Integer.class))
			.isEqualTo(1);
	}

	private static org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder signIn(String username,
			String password, String address) {
		return post("/login").param("username", username).param("password", password).with(csrf()).with((request) -> {
			request.setRemoteAddr(address);
			return request;
		});
	}

	private static org.springframework.test.web.servlet.request.RequestPostProcessor admin() {
		return user("admin").roles("SYSADMIN", "PEOPLE_ADMIN");
	}

}
