package io.seatkeeper.license;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.seatkeeper.Pools;
import io.seatkeeper.TwoNodes;
import io.seatkeeper.license.LicenseGateConcurrencyTests.Outcome;
import io.seatkeeper.people.PeopleService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.jdbc.core.JdbcTemplate;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application nodes (two Spring applications, two connection pools) on one embedded
 * PostgreSQL database race for the same pool: the row lock holds across nodes.
 */
class TwoNodeGateTests {

	@RegisterExtension
	static final TwoNodes nodes = TwoNodes.of(2);

	@Test
	void twoNodesNeverTakeAPoolPastItsMaximum() throws Exception {
		JdbcTemplate jdbc = nodes.node(0).getBean(JdbcTemplate.class);
		Pools.reset(jdbc, 10, 5);
		PeopleService onA = nodes.node(0).getBean(PeopleService.class);
		PeopleService onB = nodes.node(1).getBean(PeopleService.class);
		List<Callable<Boolean>> attempts = new ArrayList<>();
		for (int i = 0; i < 64; i++) {
			PeopleService node = (i % 2 == 0) ? onA : onB;
			String username = "node" + ((i % 2 == 0) ? "a" : "b") + i;
			attempts.add(() -> node.create(aProfile(username, null), "admin").active());
		}

		Outcome outcome = LicenseGateConcurrencyTests.race(attempts);

		System.out.printf(
				"CONCURRENCY [postgresql, two nodes] 64 concurrent adds, 10 free: %d attempts, "
						+ "%d successes, %d refusals, %d errors%n",
				outcome.attempts(), outcome.successes(), outcome.refusals(), outcome.errors().size());
		assertThat(outcome.errors()).isEmpty();
		assertThat(outcome.successes()).isEqualTo(10);
		assertThat(outcome.refusals()).isEqualTo(54);
		assertThat(Pools.activeRows(jdbc, "PRIMARY")).isEqualTo(10);
		assertThat(Pools.counter(jdbc, "PRIMARY")).isEqualTo(10);
		assertThat(nodes.node(1).getBean(LicenseService.class).usage(Pool.PRIMARY).active()).isEqualTo(10);
	}

}
