package io.seatkeeper.license;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.seatkeeper.Pools;
import io.seatkeeper.TwoNodes;
import io.seatkeeper.license.LicenseGateConcurrencyTests.Outcome;
import io.seatkeeper.people.PeopleService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application nodes (two Spring applications, two connection pools) on one embedded
 * PostgreSQL database race for the same pool: the row lock holds across nodes.
 */
class TwoNodeGateTests {

	static TwoNodes nodes;

	static ConfigurableApplicationContext nodeA;

	static ConfigurableApplicationContext nodeB;

	@BeforeAll
	static void startTwoNodes() {
		nodes = TwoNodes.start(2);
		nodeA = nodes.node(0);
		nodeB = nodes.node(1);
	}

	@AfterAll
	static void stopNodes() {
		if (nodes != null) {
			nodes.close();
		}
	}

	@Test
	void twoNodesNeverTakeAPoolPastItsMaximum() throws Exception {
		JdbcTemplate jdbc = nodeA.getBean(JdbcTemplate.class);
		Pools.reset(jdbc, 10, 5);
		PeopleService onA = nodeA.getBean(PeopleService.class);
		PeopleService onB = nodeB.getBean(PeopleService.class);
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
		assertThat(nodeB.getBean(LicenseService.class).usage(Pool.PRIMARY).active()).isEqualTo(10);
	}

}
