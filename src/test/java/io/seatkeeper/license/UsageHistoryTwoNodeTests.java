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

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application nodes on one embedded PostgreSQL database take their snapshots and
 * activate profiles at the same time: the history still holds one row per pool and day,
 * with the peak the gate counted.
 */
class UsageHistoryTwoNodeTests {

	@RegisterExtension
	static final TwoNodes nodes = TwoNodes.of(2);

	@Test
	void twoNodesKeepOneSnapshotPerPoolAndDay() throws Exception {
		JdbcTemplate jdbc = nodes.node(0).getBean(JdbcTemplate.class);
		Pools.reset(jdbc, 12, 5);
		jdbc.update("delete from usage_day");
		jdbc.update("update usage_peak set peak_active = 0, peak_date = null");
		List<Callable<Boolean>> attempts = new ArrayList<>();
		for (int i = 0; i < 24; i++) {
			ConfigurableApplicationContext node = (i % 2 == 0) ? nodes.node(0) : nodes.node(1);
			if (i % 3 == 0) {
				attempts.add(() -> {
					node.getBean(UsageHistory.class).snapshot();
					return true;
				});
			}
			else {
				String username = "history" + i;
				attempts
					.add(() -> node.getBean(PeopleService.class).create(aProfile(username, null), "admin").active());
			}
		}

		Outcome outcome = LicenseGateConcurrencyTests.race(attempts);

		assertThat(outcome.errors()).isEmpty();
		// 8 snapshots and 12 activations succeed; 4 activations find the pool full.
		assertThat(outcome.successes()).isEqualTo(20);
		assertThat(outcome.refusals()).isEqualTo(4);
		assertThat(Pools.counter(jdbc, "PRIMARY")).isEqualTo(12);
		assertThat(jdbc.queryForList("select pool from usage_day order by pool", String.class))
			.containsExactly("EXTRANET", "PRIMARY");
		UsageDay today = nodes.node(1).getBean(UsageHistory.class).days(Pool.PRIMARY, UsagePeriod.LAST_90_DAYS).get(0);
		assertThat(today.peak()).isEqualTo(12);
		assertThat(nodes.node(0).getBean(UsageHistory.class).allTimePeak(Pool.PRIMARY).peak()).isEqualTo(12);
	}

}
