package io.seatkeeper.people;

import java.util.List;

import io.seatkeeper.NewProfiles;
import io.seatkeeper.Pools;
import io.seatkeeper.license.LicenseService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Bulk block on the people list: select profiles, or all that match the filter (among
 * them "no sign-in for 90 days"), see how many licences it frees, and block them at once.
 */
@SpringBootTest
@AutoConfigureMockMvc
@Tag("database")
class BulkBlockTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	PeopleService people;

	@Autowired
	AreaService areas;

	@Autowired
	LicenseService licenses;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void emptyPools() {
		Pools.reset(this.jdbc, 10, 5);
	}

	@AfterEach
	void countersEqualTheRows() {
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	@Test
	void confirmationSaysHowManyLicensesTheSelectionFrees() throws Exception {
		long alice = aProfile("alice", null);
		long eve = aProfile("eve", this.areas.createExtranet("Partners", "admin").id());
		long bob = aProfile("bob", null);
		this.people.block(bob, "admin");

		this.mvc
			.perform(post("/admin/people/block/confirm").param("scope", "selected")
				.param("ids", String.valueOf(alice), String.valueOf(eve), String.valueOf(bob))
				.with(admin())
				.with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content()
				.string(containsString("Block 2 profiles? This frees 2 licences (1 Primary, 1 Extranet).")));

		assertThat(Pools.activeRows(this.jdbc, "PRIMARY")).isEqualTo(1);
	}

	@Test
	void blocksTheSelectedProfilesAndFreesTheirLicenses() throws Exception {
		long alice = aProfile("alice", null);
		long carol = aProfile("carol", null);
		long dave = aProfile("dave", null);
		// Other tests on this database may have blocked an alice or a carol before.
		int auditedBefore = blockedAudits();

		this.mvc
			.perform(post("/admin/people/block").param("ids", String.valueOf(alice), String.valueOf(carol))
				.with(admin())
				.with(csrf()))
			.andExpect(redirectedUrl("/admin/people"))
			.andExpect(flash().attribute("success", "people.block.done"));

		assertThat(state(alice)).isEqualTo("BLOCKED");
		assertThat(state(carol)).isEqualTo("BLOCKED");
		assertThat(state(dave)).isEqualTo("ACTIVE");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
		assertThat(blockedAudits() - auditedBefore).isEqualTo(2);
	}

	private int blockedAudits() {
		return this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'PROFILE_BLOCKED' and subject in ('alice', 'carol')",
				Integer.class);
	}

	@Test
	void blocksEveryProfileWithNoSignInForNinetyDays() throws Exception {
		long stale = aProfile("stale", null);
		long never = aProfile("never", null);
		long recent = aProfile("recent", null);
		long fresh = aProfile("fresh", null);
		this.jdbc.update("update profile set last_sign_in_at = current_timestamp - interval '120' day where id = ?",
				stale);
		this.jdbc.update("update profile set created_at = current_timestamp - interval '200' day where id = ?", never);
		this.jdbc.update("update profile set last_sign_in_at = current_timestamp - interval '5' day where id = ?",
				recent);

		this.mvc.perform(get("/admin/people").param("dormant", "90").with(admin()))
			.andExpect(content().string(containsString(">stale<")))
			.andExpect(content().string(containsString(">never<")))
			.andExpect(content().string(not(containsString(">recent<"))))
			.andExpect(content().string(not(containsString(">fresh<"))));
		List<Long> matching = this.people.matching(new ProfileQuery(null, null, null, 90, null, 50));
		assertThat(matching).containsExactlyInAnyOrder(stale, never);

		this.mvc
			.perform(post("/admin/people/block/confirm").param("scope", "matching")
				.param("dormant", "90")
				.with(admin())
				.with(csrf()))
			.andExpect(content()
				.string(containsString("Block 2 profiles? This frees 2 licences (2 Primary, 0 Extranet).")));
		this.people.blockAll(matching, "admin");

		assertThat(state(stale)).isEqualTo("BLOCKED");
		assertThat(state(never)).isEqualTo("BLOCKED");
		assertThat(state(recent)).isEqualTo("ACTIVE");
		assertThat(state(fresh)).isEqualTo("ACTIVE");
	}

	@Test
	void leavesTheBuiltInAdministratorAndAdministratorBlocksAlone() throws Exception {
		long admin = this.people.findByUsername("admin").orElseThrow().id();
		long bob = aProfile("bob", null);
		this.people.block(bob, "admin");

		BulkBlock done = this.people.blockAll(List.of(admin, bob), "admin");

		assertThat(done.profiles()).isZero();
		assertThat(state(admin)).isEqualTo("ACTIVE");
		this.mvc
			.perform(post("/admin/people/block/confirm").param("ids", String.valueOf(admin)).with(admin()).with(csrf()))
			.andExpect(redirectedUrl("/admin/people"))
			.andExpect(flash().attribute("failure", "people.block.none"));
	}

	@Test
	void bulkBlockWorksWhenThePoolIsOverItsMaximum() {
		long alice = aProfile("alice", null);
		long bob = aProfile("bob", null);
		this.jdbc.update("update license_pool set max_users = 0 where pool = 'PRIMARY'");

		BulkBlock done = this.people.blockAll(List.of(alice, bob), "admin");

		assertThat(done.freedPrimary()).isEqualTo(2);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
	}

	private String state(long id) {
		return this.jdbc.queryForObject("select state from profile where id = ?", String.class, id);
	}

	private long aProfile(String username, Long areaId) {
		return this.people.create(NewProfiles.aProfile(username, areaId), "admin").id();
	}

	private static RequestPostProcessor admin() {
		return user("admin").roles("SYSADMIN", "PEOPLE_ADMIN");
	}

}
