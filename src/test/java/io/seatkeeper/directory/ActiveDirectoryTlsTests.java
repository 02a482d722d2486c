package io.seatkeeper.directory;

import io.seatkeeper.Pools;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.PeopleService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sync over LDAPS and over StartTLS against a real Active Directory
 * ({@link SambaDomain}) whose certificate a CA of the tests' own signed, trusted with
 * {@code seatkeeper.directory.ca-certificates}; the server's name is still checked (the
 * certificate names 127.0.0.1 and localhost). The untrusted case is in
 * {@link ActiveDirectoryFailureTests}.
 */
@SpringBootTest(properties = { "seatkeeper.directory.cron=-", "seatkeeper.directory.read-timeout=5s" })
@SambaTest
class ActiveDirectoryTlsTests {

	@DynamicPropertySource
	static void trustTheTestCa(DynamicPropertyRegistry registry) {
		registry.add("seatkeeper.directory.ca-certificates", () -> SambaDomain.shared().caCertificate().toString());
	}

	final SambaDomain dc = SambaDomain.shared();

	String staff;

	@Autowired
	DirectorySync sync;

	@Autowired
	DirectoryReader reader;

	@Autowired
	DirectorySettingsStore settings;

	@Autowired
	PeopleService people;

	@Autowired
	AreaService areas;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void reset() {
		this.dc.reset();
		this.staff = this.dc.ou("Staff");
		Pools.reset(this.jdbc, 100, 10);
		TestDirectory.forgetRuns(this.jdbc);
		this.jdbc.update(
				"update directory_settings set url = 'ldaps://127.0.0.1:636', start_tls = false, bind_dn = ?, bind_password = ?, base_dn = ?, "
						+ "area_mapping = ?, user_filter = null, username_attribute = null, id_attribute = null",
				SambaDomain.BIND_DN, SambaDomain.BIND_PASSWORD, SambaDomain.BASE, this.staff + " -> Primary Area");
		this.dc.user(this.staff, "tina");
		this.dc.user(this.staff, "tom");
	}

	@Test
	void aSyncOverLdapsWithTheInternalCaTrusted() {
		this.jdbc.update("update directory_settings set url = 'ldaps://127.0.0.1:636'");

		DirectoryRunView run = run();

		assertThat(run.message()).isNull();
		assertThat(run.state()).isEqualTo("DONE");
		assertThat(run.createdActive()).isEqualTo(2);
		assertThat(this.people.findByUsername("tina")).isPresent();
		assertThat(this.reader.sample(this.settings.current())).isNotEmpty();
		// A directory user's sign-in bind goes over LDAPS too.
		assertThat(this.reader.bind(this.settings.current(), "CN=tina," + this.staff, SambaDomain.USER_PASSWORD))
			.isTrue();
		assertThat(this.reader.bind(this.settings.current(), "CN=tina," + this.staff, "wrong")).isFalse();
	}

	@Test
	void aSyncOverLdapsByHostName() {
		this.jdbc.update("update directory_settings set url = 'ldaps://localhost:636'");

		DirectoryRunView run = run();

		assertThat(run.message()).isNull();
		assertThat(run.createdActive()).isEqualTo(2);
	}

	@Test
	void aSyncOverStartTlsWithTheInternalCaTrusted() {
		this.jdbc.update("update directory_settings set url = 'ldap://127.0.0.1:389', start_tls = true");

		DirectoryRunView run = run();

		assertThat(run.message()).isNull();
		assertThat(run.state()).isEqualTo("DONE");
		assertThat(run.createdActive()).isEqualTo(2);
		assertThat(this.reader.bind(this.settings.current(), "CN=tom," + this.staff, SambaDomain.USER_PASSWORD))
			.isTrue();
	}

	private DirectoryRunView run() {
		return this.sync.runNow("admin").orElseThrow();
	}

}
