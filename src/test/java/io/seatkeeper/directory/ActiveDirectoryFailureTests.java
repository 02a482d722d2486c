package io.seatkeeper.directory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import io.seatkeeper.Pools;
import io.seatkeeper.people.AreaService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;

/**
 * A run that cannot read a real Active Directory ({@link SambaDomain}) names the cause,
 * on the run page, in the API (the text and a stable code) and in "Test connection":
 * wrong credentials, a disabled or expired bind account, a refused connection, a
 * time-out, an untrusted TLS certificate, a base DN that does not exist. Nothing changes.
 */
@SpringBootTest(properties = { "seatkeeper.admin.password=" + ActiveDirectoryTests.ADMIN_PASSWORD,
		"seatkeeper.directory.cron=-", "seatkeeper.directory.page-size=1000", "seatkeeper.directory.read-timeout=3s" })
@AutoConfigureMockMvc
@SambaTest
class ActiveDirectoryFailureTests {

	final SambaDomain dc = SambaDomain.shared();

	String service;

	@Autowired
	MockMvc mvc;

	@Autowired
	DirectorySync sync;

	@Autowired
	AreaService areas;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void reset() {
		this.dc.reset();
		String staff = this.dc.ou("Staff");
		this.service = this.dc.ou("Service");
		this.dc.user(staff, "fred");
		Pools.reset(this.jdbc, 10, 10);
		TestDirectory.forgetRuns(this.jdbc);
		settings("ldap://127.0.0.1:389", SambaDomain.BIND_DN, SambaDomain.BIND_PASSWORD, SambaDomain.BASE);
		this.jdbc.update("update directory_settings set area_mapping = ?", staff + " -> Primary Area");
	}

	@Test
	void aWrongPasswordIsNamedEverywhere() throws Exception {
		settings("ldap://127.0.0.1:389", SambaDomain.BIND_DN, "not-the-password", SambaDomain.BASE);

		DirectoryRunView run = failed(DirectoryFailure.BAD_CREDENTIALS);

		assertThat(run.detail()).isEqualTo(SambaDomain.BIND_DN);
		assertThat(run.message()).contains("wrong DN or password", SambaDomain.BIND_DN, "data 52e");
		assertThat(run.entriesRead()).isZero();
		this.mvc
			.perform(get("/api/v1/directory/runs/" + run.id())
				.with(httpBasic("admin", ActiveDirectoryTests.ADMIN_PASSWORD)))
			.andExpect(jsonPath("$.code").value(DirectoryFailure.BAD_CREDENTIALS))
			.andExpect(jsonPath("$.message").value(run.message()));
		this.mvc.perform(get("/admin/system/directory/runs/" + run.id()).with(ActiveDirectoryTests.admin()))
			.andExpect(content().string(containsString("wrong DN or password for " + SambaDomain.BIND_DN)));
		testConnectionSays(DirectoryFailure.BAD_CREDENTIALS);
		assertThat(this.jdbc.queryForObject("select count(*) from profile where source = 'DIRECTORY'", Integer.class))
			.isZero();
	}

	@Test
	void aDisabledBindAccountIsNamed() throws Exception {
		this.dc.user(this.service, "svc-off");
		this.dc.disable("svc-off");
		settings("ldap://127.0.0.1:389", "CN=svc-off," + this.service, SambaDomain.USER_PASSWORD, SambaDomain.BASE);

		assertThat(failed(DirectoryFailure.ACCOUNT_DISABLED).message()).contains("is disabled", "data 533");
		testConnectionSays(DirectoryFailure.ACCOUNT_DISABLED);
	}

	@Test
	void anExpiredBindAccountIsNamed() throws Exception {
		this.dc.user(this.service, "svc-old");
		this.dc.expire("svc-old");
		settings("ldap://127.0.0.1:389", "CN=svc-old," + this.service, SambaDomain.USER_PASSWORD, SambaDomain.BASE);

		assertThat(failed(DirectoryFailure.ACCOUNT_EXPIRED).message()).contains("has expired", "data 701");
	}

	@Test
	void aRefusedConnectionNamesTheHostAndPort() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		settings("ldap://127.0.0.1:" + port, SambaDomain.BIND_DN, SambaDomain.BIND_PASSWORD, SambaDomain.BASE);

		DirectoryRunView run = failed(DirectoryFailure.CONNECTION_REFUSED);

		assertThat(run.message()).contains("refused the connection", "127.0.0.1:" + port);
		testConnectionSays(DirectoryFailure.CONNECTION_REFUSED);
	}

	@Test
	void aDirectoryThatDoesNotAnswerIsATimeOut() throws IOException {
		try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			settings("ldap://127.0.0.1:" + silent.getLocalPort(), SambaDomain.BIND_DN, SambaDomain.BIND_PASSWORD,
					SambaDomain.BASE);

			DirectoryRunView run = failed(DirectoryFailure.TIMEOUT);

			assertThat(run.message()).contains("did not answer in time", "127.0.0.1:" + silent.getLocalPort());
		}
	}

	@Test
	void anUntrustedCertificateIsNamedWithItsSubject() throws Exception {
		settings("ldaps://127.0.0.1:636", SambaDomain.BIND_DN, SambaDomain.BIND_PASSWORD, SambaDomain.BASE);

		DirectoryRunView run = failed(DirectoryFailure.TLS_UNTRUSTED);

		assertThat(run.detail()).contains("CN=DC1.corp.example.test");
		assertThat(run.message()).contains("certificate is not trusted", "CN=DC1.corp.example.test");
		testConnectionSays(DirectoryFailure.TLS_UNTRUSTED);
	}

	@Test
	void anUntrustedCertificateAfterStartTlsIsNamedWithItsSubject() throws Exception {
		settings("ldap://127.0.0.1:389", SambaDomain.BIND_DN, SambaDomain.BIND_PASSWORD, SambaDomain.BASE);
		this.jdbc.update("update directory_settings set start_tls = true");

		DirectoryRunView run = failed(DirectoryFailure.TLS_UNTRUSTED);

		assertThat(run.detail()).contains("CN=DC1.corp.example.test");
		testConnectionSays(DirectoryFailure.TLS_UNTRUSTED);
	}

	@Test
	void aBaseDnThatDoesNotExistIsNamed() throws Exception {
		String missing = "OU=Nowhere," + SambaDomain.BASE;
		settings("ldap://127.0.0.1:389", SambaDomain.BIND_DN, SambaDomain.BIND_PASSWORD, missing);

		DirectoryRunView run = failed(DirectoryFailure.BASE_DN_NOT_FOUND);

		assertThat(run.message()).contains("The base DN " + missing + " does not exist");
		testConnectionSays(DirectoryFailure.BASE_DN_NOT_FOUND);
	}

	private DirectoryRunView failed(String code) {
		DirectoryRunView run = this.sync.runNow("admin").orElseThrow();
		assertThat(run.state()).isEqualTo("FAILED");
		assertThat(run.code()).isEqualTo(code);
		return run;
	}

	private void testConnectionSays(String code) throws Exception {
		this.mvc.perform(post("/admin/system/directory/test").with(ActiveDirectoryTests.admin()).with(csrf()))
			.andExpect(flash().attribute("failure", code));
	}

	private void settings(String url, String bindDn, String password, String baseDn) {
		this.jdbc.update(
				"update directory_settings set url = ?, start_tls = false, bind_dn = ?, bind_password = ?, base_dn = ?",
				url, bindDn, password, baseDn);
	}

}
