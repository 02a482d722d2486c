package io.seatkeeper.license;

import io.seatkeeper.Pools;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.AreaView;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileState;
import io.seatkeeper.people.ProfileView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The gate's rules (R2–R5, R9), one by one, on H2 and on PostgreSQL.
 */
@SpringBootTest
@Tag("database")
class LicenseGateTests {

	@Autowired
	PeopleService people;

	@Autowired
	AreaService areas;

	@Autowired
	LicenseService licenses;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	PlatformTransactionManager transactionManager;

	@BeforeEach
	void emptyPools() {
		Pools.reset(this.jdbc, 2, 1);
	}

	@AfterEach
	void countersEqualTheRows() {
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	@Test
	void createsActiveProfileWhileALicenseIsFree() {
		ProfileView created = this.people.create(aProfile("alice"), "admin");

		assertThat(created.state()).isEqualTo(ProfileState.ACTIVE);
		assertThat(created.usesLicense()).isTrue();
		assertThat(this.licenses.usage(Pool.PRIMARY)).isEqualTo(new PoolUsage(Pool.PRIMARY, 2, 1, 1, 0));
	}

	@Test
	void countsFromTheLockedRowEvenWhenTheTransactionReadThePoolBefore() throws Exception {
		this.people.create(aProfile("alice"), "admin");

		assertThatExceptionOfType(LicenseLimitExceeded.class)
			.isThrownBy(() -> new TransactionTemplate(this.transactionManager).executeWithoutResult((status) -> {
				// This transaction reads the pool (1 of 2 used), then another one takes
				// the last licence and commits before this one asks the gate.
				assertThat(this.licenses.usage(Pool.PRIMARY).active()).isEqualTo(1);
				Thread other = new Thread(() -> this.people.create(aProfile("bob"), "admin"));
				other.start();
				try {
					other.join();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				this.licenses.acquire(Pool.PRIMARY, 1);
			}));
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(2);
	}

	@Test
	void refusesNewProfileWhenPrimaryPoolIsFull() {
		this.people.create(aProfile("alice"), "admin");
		this.people.create(aProfile("bob"), "admin");

		assertThatExceptionOfType(LicenseLimitExceeded.class)
			.isThrownBy(() -> this.people.create(aProfile("carol"), "admin"))
			.satisfies((refusal) -> {
				assertThat(refusal.pool()).isEqualTo(Pool.PRIMARY);
				assertThat(refusal.max()).isEqualTo(2);
				assertThat(refusal.active()).isEqualTo(2);
			});
		assertThat(this.people.findByUsername("carol")).isEmpty();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(2);
	}

	@Test
	void recordsEachRefusalInTheAuditLog() {
		this.people.create(aProfile("alice"), "admin");
		this.people.create(aProfile("bob"), "admin");
		int before = refusals();

		assertThatExceptionOfType(LicenseLimitExceeded.class)
			.isThrownBy(() -> this.people.create(aProfile("carol"), "admin"));

		assertThat(refusals()).isEqualTo(before + 1);
	}

	@Test
	void extranetAreasShareTheExtranetPool() {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		AreaView suppliers = this.areas.createExtranet("Suppliers", "admin");
		this.people.create(aProfile("eve", partners.id()), "admin");

		assertThatExceptionOfType(LicenseLimitExceeded.class)
			.isThrownBy(() -> this.people.create(aProfile("frank", suppliers.id()), "admin"))
			.satisfies((refusal) -> assertThat(refusal.pool()).isEqualTo(Pool.EXTRANET));
		// The Primary pool is separate and still has room.
		assertThat(this.people.create(aProfile("grace"), "admin").active()).isTrue();
	}

	@Test
	void blockingFreesTheLicenseAtOnce() {
		ProfileView alice = this.people.create(aProfile("alice"), "admin");
		this.people.create(aProfile("bob"), "admin");

		ProfileView blocked = this.people.block(alice.id(), "admin");

		assertThat(blocked.usesLicense()).isFalse();
		assertThat(this.licenses.usage(Pool.PRIMARY).available()).isEqualTo(1);
		assertThat(this.people.create(aProfile("carol"), "admin").active()).isTrue();
	}

	@Test
	void refusesReinstatementWhenThePoolIsFull() {
		ProfileView alice = this.people.create(aProfile("alice"), "admin");
		this.people.block(alice.id(), "admin");
		this.people.create(aProfile("bob"), "admin");
		this.people.create(aProfile("carol"), "admin");

		assertThatExceptionOfType(LicenseLimitExceeded.class)
			.isThrownBy(() -> this.people.reinstate(alice.id(), "admin"));
		assertThat(this.people.get(alice.id()).state()).isEqualTo(ProfileState.BLOCKED);
	}

	@Test
	void reinstatesWhenALicenseIsFree() {
		ProfileView alice = this.people.create(aProfile("alice"), "admin");
		this.people.block(alice.id(), "admin");

		assertThat(this.people.reinstate(alice.id(), "admin").active()).isTrue();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
	}

	@Test
	void refusesMoveIntoAFullPoolAndLeavesTheProfileWhereItWas() {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		this.people.create(aProfile("eve", partners.id()), "admin");
		ProfileView alice = this.people.create(aProfile("alice"), "admin");

		assertThatExceptionOfType(LicenseLimitExceeded.class)
			.isThrownBy(() -> this.people.move(alice.id(), partners.id(), "admin"))
			.satisfies((refusal) -> assertThat(refusal.pool()).isEqualTo(Pool.EXTRANET));
		assertThat(this.people.get(alice.id()).areaName()).isEqualTo("Primary Area");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(1);
	}

	@Test
	void movingAnActiveProfileTakesItsLicenseAlong() {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		ProfileView alice = this.people.create(aProfile("alice"), "admin");

		ProfileView moved = this.people.move(alice.id(), partners.id(), "admin");

		assertThat(moved.pool()).isEqualTo(Pool.EXTRANET);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(1);
	}

	@Test
	void movingABlockedProfileIntoAFullPoolIsAllowed() {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		this.people.create(aProfile("eve", partners.id()), "admin");
		ProfileView alice = this.people.create(aProfile("alice"), "admin");
		this.people.block(alice.id(), "admin");

		ProfileView moved = this.people.move(alice.id(), partners.id(), "admin");

		assertThat(moved.areaName()).isEqualTo("Partners");
		assertThat(moved.usesLicense()).isFalse();
	}

	@Test
	void blockDeleteAndMoveOutWorkWhenThePoolIsOverItsMaximum() {
		AreaView partners = this.areas.createExtranet("Partners", "admin");
		ProfileView alice = this.people.create(aProfile("alice"), "admin");
		ProfileView bob = this.people.create(aProfile("bob"), "admin");
		// A pool that shrank below its active count (as a smaller licence key does).
		this.jdbc.update("update license_pool set max_users = 0 where pool in ('PRIMARY', 'EXTRANET')");
		this.jdbc.update("update license_pool set max_users = 1 where pool = 'EXTRANET'");
		ProfileView carol = this.people.block(alice.id(), "admin");
		assertThat(carol.usesLicense()).isFalse();
		assertThatExceptionOfType(LicenseLimitExceeded.class)
			.isThrownBy(() -> this.people.reinstate(alice.id(), "admin"));

		this.people.move(bob.id(), partners.id(), "admin");
		this.people.delete(alice.id(), "alice", "admin");

		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(1);
	}

	@Test
	void deletingAnActiveProfileFreesItsLicenseAndRemovesItsRow() {
		ProfileView alice = this.people.create(aProfile("alice"), "admin");

		this.people.delete(alice.id(), "ALICE", "admin");

		assertThat(this.jdbc.queryForObject("select count(*) from profile where username_key = 'alice'", Integer.class))
			.isZero();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
	}

	@Test
	void theBuiltInAdministratorUsesNoLicense() {
		ProfileView admin = this.people.findByUsername("admin").orElseThrow();

		assertThat(admin.builtIn()).isTrue();
		assertThat(admin.active()).isTrue();
		assertThat(admin.usesLicense()).isFalse();
		assertThat(this.licenses.usage(Pool.PRIMARY).active()).isZero();
	}

	private int refusals() {
		return this.jdbc.queryForObject("select count(*) from audit_event where action = 'LICENSE_REFUSED'",
				Integer.class);
	}

}
