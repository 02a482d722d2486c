package io.seatkeeper.system;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import io.seatkeeper.Pools;
import io.seatkeeper.license.LicenseService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * A pool whose row lock cannot be had within the lock time-out (10 s) is an answer that
 * says so: 503 with {@code Retry-After} and a problem on the API, a page that says the
 * licences are busy on the console, an upload's job failed as busy; never a 500, and
 * nothing changes.
 */
@SpringBootTest(properties = "seatkeeper.admin.password=" + BusyPoolTests.ADMIN_PASSWORD)
@AutoConfigureMockMvc
@Tag("database")
class BusyPoolTests {

	static final String ADMIN_PASSWORD = "busy-secret-1";

	@Autowired
	MockMvc mvc;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	LicenseService licenses;

	@BeforeEach
	void emptyPools() {
		Pools.reset(this.jdbc, 10, 2);
		this.jdbc.update("delete from import_job");
	}

	@Test
	void anAddThatCannotLockThePoolInTimeIsRefusedAsBusyOnTheApiAndTheConsole() throws Exception {
		try (Connection holder = this.dataSource.getConnection()) {
			holder.setAutoCommit(false);
			try (Statement statement = holder.createStatement()) {
				statement.executeQuery("select * from license_pool where pool = 'PRIMARY' for update").close();
			}
			CompletableFuture<MvcResult> api = CompletableFuture
				.supplyAsync(() -> perform(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON)
					.content(
							"""
									{"username": "waiting", "email": "waiting@example.org", "firstName": "First", "lastName": "Last"}
									""")
					.with(httpBasic("admin", ADMIN_PASSWORD))));
			CompletableFuture<MvcResult> console = CompletableFuture
				.supplyAsync(() -> perform(post("/admin/people/new").param("username", "patient")
					.param("email", "patient@example.org")
					.param("firstName", "First")
					.param("lastName", "Last")
					.param("areaId", "")
					.param("password", "")
					.with(user("admin").roles("PEOPLE_ADMIN", "SYSADMIN"))
					.with(csrf())));

			CompletableFuture<MvcResult> upload = CompletableFuture
				.supplyAsync(() -> perform(post("/api/v1/profiles/import").param("mode", "all-or-nothing")
					.contentType("text/csv")
					.content("username,email\nuploaded,uploaded@example.org\n")
					.with(httpBasic("admin", ADMIN_PASSWORD))));

			MvcResult apiAnswer = api.get();
			MvcResult consoleAnswer = console.get();
			MvcResult uploadAnswer = upload.get();
			holder.rollback();

			assertThat(apiAnswer.getResponse().getStatus()).isEqualTo(503);
			assertThat(apiAnswer.getResponse().getHeader("Retry-After")).isEqualTo("5");
			assertThat(apiAnswer.getResponse().getContentAsString()).contains("urn:seatkeeper:problem:busy")
				.contains("Nothing was changed");
			assertThat(consoleAnswer.getResponse().getStatus()).isEqualTo(503);
			assertThat(consoleAnswer.getResponse().getHeader("Retry-After")).isEqualTo("5");
			assertThat(consoleAnswer.getResponse().getContentAsString()).contains("The licences are busy");
			assertThat(uploadAnswer.getResponse().getStatus()).isEqualTo(503);
			assertThat(uploadAnswer.getResponse().getHeader("Retry-After")).isEqualTo("5");
		}
		assertThat(this.jdbc.queryForList("select status, message from import_job")).singleElement()
			.satisfies((job) -> {
				assertThat(job.get("status")).isEqualTo("FAILED");
				assertThat(job.get("message")).isEqualTo("import.failed.busy");
			});
		assertThat(this.jdbc.queryForObject(
				"select count(*) from profile where username_key in ('waiting', 'patient', 'uploaded')", Integer.class))
			.isZero();
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	private MvcResult perform(org.springframework.test.web.servlet.RequestBuilder request) {
		try {
			return this.mvc.perform(request).andReturn();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
