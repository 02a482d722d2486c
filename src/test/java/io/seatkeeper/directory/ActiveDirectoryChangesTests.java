package io.seatkeeper.directory;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accounts that change in a real Active Directory ({@link SambaDomain}) between two
 * syncs: deleted, moved between mapped OUs, renamed, disabled, created; the preview of
 * that sync changes nothing and counts what the sync then does.
 */
@SpringBootTest(properties = { "seatkeeper.admin.password=" + ActiveDirectoryTests.ADMIN_PASSWORD,
		"seatkeeper.directory.cron=-", "seatkeeper.directory.page-size=1000", "seatkeeper.directory.read-timeout=3s" })
@AutoConfigureMockMvc
@SambaTest
class ActiveDirectoryChangesTests {

	final SambaDomain dc = SambaDomain.shared();

	String staff;

	String partners;

	@Autowired
	DirectorySync sync;

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
		Pools.reset(this.jdbc, 3, 10);
		this.areas.createExtranet("Partners", "admin");
		TestDirectory.forgetRuns(this.jdbc);
		this.jdbc.update(
				"update directory_settings set url = ?, start_tls = false, bind_dn = ?, bind_password = ?, base_dn = ?, "
						+ "area_mapping = ?, user_filter = null, username_attribute = null, id_attribute = null",
				"ldap://127.0.0.1:389", SambaDomain.BIND_DN, SambaDomain.BIND_PASSWORD, SambaDomain.BASE,
				this.staff + " -> Primary Area\n" + this.partners + " -> Partners");
	}

	@Test
	void deletedMovedAndRenamedAccountsArePreviewedThenSynced() {
		this.dc.user(this.staff, "gone");
		String mover = this.dc.user(this.staff, "mover");
		String renamed = this.dc.user(this.staff, "oldname");
		this.dc.user(this.partners, "partner");
		DirectoryRunView first = run();
		assertThat(first.createdActive()).isEqualTo(4);
		// Created after the pool is full, whatever order the DC returns the others in.
		this.dc.user(this.staff, "waiting");
		DirectoryRunView queued = run();
		assertThat(queued.createdAwaiting()).isEqualTo(1);
		assertThat(profile("waiting").active()).isFalse();
		long moverId = profile("mover").id();
		long renamedId = profile("oldname").id();

		this.dc.delete("gone");
		this.dc.move(mover, this.partners);
		this.dc.rename(renamed, "newname");
		this.dc.user(this.staff, "newcomer");
		this.jdbc.update("update directory_settings set max_block_percent = 50");
		List<String> before = DirectoryPreviewTests.database(this.jdbc);

		DirectoryRunView preview = this.sync.preview("admin");

		assertThat(DirectoryPreviewTests.database(this.jdbc)).isEqualTo(before);
		assertThat(preview.state()).isEqualTo("DONE");
		DirectoryRunView second = run();
		DirectoryPreviewTests.assertSameCounts(preview, second);

		assertThat(preview.moved()).isEqualTo(1);
		assertThat(second.moved()).isEqualTo(1);
		assertThat(this.jdbc.queryForObject("select moved from directory_run where id = ?", Integer.class, second.id()))
			.isEqualTo(1);
		assertThat(second.blockedRemoved()).isEqualTo(1);
		assertThat(profile("gone").blockReason().name()).isEqualTo("DIRECTORY");
		// The mover takes a Partners licence and frees a Primary one: the awaiting first.
		assertThat(profile("mover").id()).isEqualTo(moverId);
		assertThat(profile("mover").areaName()).isEqualTo("Partners");
		assertThat(profile("mover").active()).isTrue();
		assertThat(profile("newname").id()).isEqualTo(renamedId);
		assertThat(profile("newname").active()).isTrue();
		assertThat(this.people.findByUsername("oldname")).isEmpty();
		assertThat(second.activated()).isEqualTo(1);
		assertThat(profile("waiting").active()).isTrue();
		assertThat(second.createdActive()).isEqualTo(1);
		assertThat(profile("newcomer").active()).isTrue();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(3).isEqualTo(Pools.activeRows(this.jdbc, "PRIMARY"));
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(2)
			.isEqualTo(Pools.activeRows(this.jdbc, "EXTRANET"));
	}

	private DirectoryRunView run() {
		// A full sync, as the preview reads: a delta would leave the deletion to the next
		// full one.
		return this.sync.runNow("admin", DirectoryRunView.FULL).orElseThrow();
	}

	private ProfileView profile(String username) {
		return this.people.findByUsername(username).orElseThrow(() -> new AssertionError("No profile " + username));
	}

}
