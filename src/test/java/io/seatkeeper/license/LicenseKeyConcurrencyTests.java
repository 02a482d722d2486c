package io.seatkeeper.license;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.seatkeeper.Pools;
import io.seatkeeper.people.PeopleService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.seatkeeper.NewProfiles.aProfile;
import static io.seatkeeper.license.LicenseGateConcurrencyTests.race;
import static io.seatkeeper.license.LicenseGateConcurrencyTests.report;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A licence key applied while concurrent adds race for the last licences, on H2 and on
 * PostgreSQL: the key takes both pools' locks, so that the counters stay equal to the
 * rows and no add passes the maximum in force at the moment it holds the lock.
 */
@SpringBootTest(properties = "spring.datasource.hikari.maximum-pool-size=16")
@Tag("database")
class LicenseKeyConcurrencyTests {

	@Autowired
	PeopleService people;

	@Autowired
	LicenseService licenses;

	@Autowired
	LicenseKeys keys;

	@Autowired
	JdbcTemplate jdbc;

	@DynamicPropertySource
	static void vendorKey(DynamicPropertyRegistry registry) {
		registry.add("seatkeeper.license.vendor-public-key", () -> DevKeys.PUBLIC_KEY);
	}

	@BeforeEach
	void fivePrimaryActiveOfTen() {
		Pools.reset(this.jdbc, 10, 5);
		this.jdbc.update("delete from license_key");
		for (int i = 0; i < 5; i++) {
			this.people.create(aProfile("settled" + i, null), "admin");
		}
	}

	@Test
	void aKeyThatShrinksThePoolDuringARaceLetsNoAddPastTheNewMaximum() throws Exception {
		List<Callable<Boolean>> attempts = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			String username = "racer" + i;
			attempts.add(() -> this.people.create(aProfile(username, null), "admin").active());
		}
		attempts.add(20, () -> this.keys.apply(DevKeys.sign(100, 7, 5), "admin") != null);

		LicenseGateConcurrencyTests.Outcome outcome = race(attempts);

		report("40 concurrent adds and a key shrinking Max_Users 10 -> 7, 5 active", outcome);
		assertThat(outcome.errors()).isEmpty();
		assertThat(this.licenses.usage(Pool.PRIMARY).max()).isEqualTo(7);
		int active = Pools.activeRows(this.jdbc, "PRIMARY");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(active);
		assertThat(this.licenses.countMismatches()).isEmpty();
		// At most what the old maximum allowed before the key, never more than the new
		// one after it.
		assertThat(active).isBetween(7, 10);
		assertThat(outcome.successes()).isEqualTo(active - 5 + 1);
		for (int i = 0; i < 8; i++) {
			String username = "late" + i;
			assertThat(catchRefusal(() -> this.people.create(aProfile(username, null), "admin"))).isTrue();
		}
		assertThat(Pools.activeRows(this.jdbc, "PRIMARY")).isEqualTo(active);
	}

	@Test
	void aKeyThatGrowsThePoolDuringARaceIsNeverPassed() throws Exception {
		List<Callable<Boolean>> attempts = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			String username = "racer" + i;
			attempts.add(() -> this.people.create(aProfile(username, null), "admin").active());
		}
		attempts.add(10, () -> this.keys.apply(DevKeys.sign(200, 14, 5), "admin") != null);

		LicenseGateConcurrencyTests.Outcome outcome = race(attempts);

		report("40 concurrent adds and a key growing Max_Users 10 -> 14, 5 active", outcome);
		assertThat(outcome.errors()).isEmpty();
		int active = Pools.activeRows(this.jdbc, "PRIMARY");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(active);
		assertThat(active).isBetween(10, 14);
		assertThat(outcome.successes() + outcome.refusals()).isEqualTo(41);
		int filled = 0;
		for (int i = 0; i < 8; i++) {
			String username = "late" + i;
			if (!catchRefusal(() -> this.people.create(aProfile(username, null), "admin"))) {
				filled++;
			}
		}
		assertThat(filled).isEqualTo(14 - active);
		assertThat(Pools.activeRows(this.jdbc, "PRIMARY")).isEqualTo(14);
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	private static boolean catchRefusal(Runnable add) {
		try {
			add.run();
			return false;
		}
		catch (LicenseLimitExceeded refusal) {
			return true;
		}
	}

}
