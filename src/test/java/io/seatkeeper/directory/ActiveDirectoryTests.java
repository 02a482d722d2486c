package io.seatkeeper.directory;

import java.util.ArrayList;
import java.util.List;

import io.seatkeeper.Pools;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;

/**
 * The sync against a real Active Directory domain controller ({@link SambaDomain}), with
 * the base DN at the domain root, where a subtree search returns continuation references:
 * two OUs mapped to two areas, a disabled account, paging at 1,000 over more than 1,000
 * users, the Global Catalog, and "Test connection".
 */
@SpringBootTest(properties = { "seatkeeper.admin.password=" + ActiveDirectoryTests.ADMIN_PASSWORD,
		"seatkeeper.directory.cron=-", "seatkeeper.directory.page-size=1000", "seatkeeper.directory.read-timeout=3s" })
@AutoConfigureMockMvc
@SambaTest
class ActiveDirectoryTests {

	static final String ADMIN_PASSWORD = "built-in-secret-77";

	final SambaDomain dc = SambaDomain.shared();

	String staff;

	String partners;

	@Autowired
	MockMvc mvc;

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
		this.partners = this.dc.ou("Partners");
		Pools.reset(this.jdbc, 2000, 10);
		this.areas.createExtranet("Partners", "admin");
		TestDirectory.forgetRuns(this.jdbc);
		this.jdbc.update(
				"update directory_settings set url = ?, start_tls = false, bind_dn = ?, bind_password = ?, base_dn = ?, "
						+ "area_mapping = ?, user_filter = null, username_attribute = null, id_attribute = null",
				"ldap://127.0.0.1:389", SambaDomain.BIND_DN, SambaDomain.BIND_PASSWORD, SambaDomain.BASE,
				this.staff + " -> Primary Area\n" + this.partners + " -> Partners");
		this.jdbc.update("delete from sign_in_failure");
	}

	@Test
	void aFirstSyncAtTheDomainRootMapsTwoOusToTwoAreasAndADisabledAccountIsBlocked() {
		this.dc.user(this.staff, "anna");
		this.dc.user(this.staff, "ben");
		this.dc.user(this.partners, "carla");
		this.dc.user(this.staff, "dora");
		this.dc.disable("dora");

		DirectoryRunView first = run();

		assertThat(first.state()).isEqualTo("DONE");
		assertThat(first.message()).isNull();
		// Administrator, Guest, krbtgt, the DC and the bind account are read too, out of
		// the mapping.
		assertThat(first.entriesRead()).isGreaterThanOrEqualTo(9);
		assertThat(first.createdActive()).isEqualTo(3);
		assertThat(profile("anna").active()).isTrue();
		assertThat(profile("anna").areaName()).isEqualTo("Primary Area");
		assertThat(profile("anna").email()).isEqualTo("anna@corp.example.test");
		assertThat(profile("carla").areaName()).isEqualTo("Partners");
		assertThat(this.people.findByUsername("dora")).isEmpty();
		assertThat(this.people.findByUsername("Administrator")).isEmpty();
		assertThat(this.people.findByUsername("svc-sync")).isEmpty();

		this.dc.disable("ben");
		// One of three is more than the default share a run may block unconfirmed.
		this.jdbc.update("update directory_settings set max_block_percent = 50");
		DirectoryRunView second = run();

		assertThat(second.state()).isEqualTo("DONE");
		assertThat(second.blockedDisabled()).isEqualTo(1);
		assertThat(profile("ben").active()).isFalse();
		assertThat(profile("ben").blockReason().name()).isEqualTo("DIRECTORY");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
	}

	@Test
	void theReadPagesAtOneThousandPastOneThousandUsers() {
		this.dc.users(this.staff, "bulk", 1100);
		List<Integer> progress = new ArrayList<>();

		List<DirectoryRecord> records = this.reader.readAll(this.settings.current(), progress::add);

		assertThat(records.stream().filter((record) -> record.dn().endsWith(this.staff))).hasSize(1100);
		assertThat(progress).hasSizeGreaterThanOrEqualTo(2).first().isEqualTo(1000);
	}

	@Test
	void theGlobalCatalogReadsTheDomainToo() {
		this.dc.user(this.staff, "gina");
		this.dc.user(this.partners, "gus");
		DirectorySettings current = this.settings.current();
		DirectorySettings catalog = new DirectorySettings("ldap://127.0.0.1:3268", false, current.bindDn(),
				current.bindPassword(), current.baseDn(), current.userFilter(), current.usernameAttribute(),
				current.emailAttribute(), current.firstNameAttribute(), current.lastNameAttribute(),
				current.idAttribute(), current.areaMapping(), current.cron(), current.activateWhenFree(),
				current.maxBlockPercent(), current.fromConfiguration());

		List<DirectoryRecord> records = this.reader.readAll(catalog, (read) -> {
		});

		assertThat(records).extracting(DirectoryRecord::username).contains("gina", "gus");
		assertThat(records).filteredOn((record) -> "gina".equals(record.username()))
			.singleElement()
			.satisfies((record) -> assertThat(record.id()).hasSize(32));
	}

	@Test
	void testConnectionAtTheDomainRootFindsTheUsers() throws Exception {
		this.dc.user(this.staff, "tess");

		this.mvc.perform(post("/admin/system/directory/test").with(admin()).with(csrf()))
			.andExpect(flash().attribute("success", "directory.test.found"));
	}

	@Test
	void directoryUsersSignInWithTheirUsernameUpnOrDomainNameIgnoringCase() throws Exception {
		this.dc.user(this.staff, "sina");
		assertThat(run().createdActive()).isEqualTo(1);

		for (String name : new String[] { "sina", "SINA", "sina@corp.example.test", "Sina@CORP.EXAMPLE.TEST",
				"CORP\\sina", "corp\\SINA" }) {
			this.mvc.perform(formLogin("/login").user(name).password(SambaDomain.USER_PASSWORD))
				.andExpect(authenticated().withUsername("sina"));
		}
		this.mvc.perform(formLogin("/login").user("sina@elsewhere.test").password(SambaDomain.USER_PASSWORD))
			.andExpect(unauthenticated());
		this.mvc.perform(formLogin("/login").user("CORP\\sina").password("wrong-password"))
			.andExpect(unauthenticated());
		// HTTP Basic: signed in (a person without roles may not read the licence), or
		// not.
		this.mvc.perform(get("/api/v1/license").with(httpBasic("sina@corp.example.test", SambaDomain.USER_PASSWORD)))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/api/v1/license").with(httpBasic("CORP\\sina", SambaDomain.USER_PASSWORD)))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/api/v1/license").with(httpBasic("CORP\\sina", "wrong-password")))
			.andExpect(status().isUnauthorized());
	}

	@Test
	void aUsernameAttributeThatHoldsTheUpnSignsInWithTheUpnAsTyped() throws Exception {
		this.jdbc.update("update directory_settings set username_attribute = 'userPrincipalName'");
		this.dc.user(this.staff, "uma");
		assertThat(run().createdActive()).isEqualTo(1);
		assertThat(profile("uma@corp.example.test").active()).isTrue();

		this.mvc.perform(formLogin("/login").user("uma@corp.example.test").password(SambaDomain.USER_PASSWORD))
			.andExpect(authenticated().withUsername("uma@corp.example.test"));
	}

	@Test
	void everyNameOfOneAccountCountsAsThatAccountForTheThrottle() throws Exception {
		this.dc.user(this.staff, "tom");
		assertThat(run().createdActive()).isEqualTo(1);
		String[] names = { "tom", "TOM@corp.example.test", "CORP\\tom", "corp\\Tom" };
		for (int i = 0; i < 10; i++) {
			this.mvc.perform(signIn(names[i % names.length], "wrong-" + i, "10.8.0." + i))
				.andExpect(redirectedUrl("/login?error"));
		}

		this.mvc.perform(signIn("tom@corp.example.test", SambaDomain.USER_PASSWORD, "10.8.0.50"))
			.andExpect(unauthenticated())
			.andExpect(redirectedUrl("/login?throttled"));
		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'SIGN_IN_FAILED' and lower(subject) = 'tom'",
				Integer.class))
			.isEqualTo(10);
	}

	@Test
	void aRehiredAccountGetsTheProfileTheDirectoryRemovedByUsernameThenByEmail() {
		this.dc.user(this.staff, "rita");
		this.dc.user(this.staff, "rolf");
		this.dc.user(this.staff, "stays");
		assertThat(run().createdActive()).isEqualTo(3);
		long rita = profile("rita").id();
		long rolf = profile("rolf").id();
		String ritasOldId = directoryId(rita);
		this.dc.delete("rita");
		this.dc.delete("rolf");
		this.jdbc.update("update directory_settings set max_block_percent = 100");
		// Deletions are found by a full sync; the rehires below by a delta too.
		assertThat(this.sync.runNow("admin", "FULL").orElseThrow().blockedRemoved()).isEqualTo(2);

		// Created again: a new objectGUID, the same username; a new username, the same
		// e-mail address.
		this.dc.user(this.staff, "rita");
		this.dc.user(this.staff, "rolf.new", "rolf@corp.example.test");
		DirectoryRunView rehired = run();

		assertThat(rehired.state()).isEqualTo("DONE");
		assertThat(rehired.errors()).isEmpty();
		assertThat(rehired.createdActive()).isZero();
		assertThat(profile("rita").id()).isEqualTo(rita);
		assertThat(profile("rita").active()).isTrue();
		assertThat(directoryId(rita)).isNotEqualTo(ritasOldId).hasSize(32);
		assertThat(profile("rolf.new").id()).isEqualTo(rolf);
		assertThat(profile("rolf.new").active()).isTrue();
		assertThat(this.people.findByUsername("rolf")).isEmpty();
		assertThat(this.jdbc.queryForList(
				"select details from audit_event where action = 'DIRECTORY_REHIRE' order by subject", String.class))
			.hasSize(2)
			.anySatisfy((details) -> assertThat(details).startsWith("by=username, old id=" + ritasOldId))
			.anySatisfy((details) -> assertThat(details).startsWith("by=email"));
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(3).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));

		// Unchanged afterwards: the profiles follow the new ids.
		DirectoryRunView again = run();
		assertThat(again.updated()).isZero();
		assertThat(again.createdActive()).isZero();
	}

	private String directoryId(long profile) {
		return this.jdbc.queryForObject("select directory_id from profile where id = ?", String.class, profile);
	}

	private static MockHttpServletRequestBuilder signIn(String username, String password, String address) {
		return post("/login").param("username", username).param("password", password).with(csrf()).with((request) -> {
			request.setRemoteAddr(address);
			return request;
		});
	}

	static RequestPostProcessor admin() {
		return user("admin").roles("SYSADMIN", "PEOPLE_ADMIN");
	}

	private DirectoryRunView run() {
		return this.sync.runNow("admin").orElseThrow();
	}

	private ProfileView profile(String username) {
		return this.people.findByUsername(username).orElseThrow(() -> new AssertionError("No profile " + username));
	}

}
