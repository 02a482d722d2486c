package io.seatkeeper.people;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.seatkeeper.Pools;
import io.seatkeeper.TwoNodes;
import io.seatkeeper.license.LicenseService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.jdbc.core.JdbcTemplate;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application nodes on one embedded PostgreSQL database start the day's reclaim run
 * at the same moment: one runs it, the other skips, and each dormant profile is blocked
 * once.
 */
class TwoNodeReclaimTests {

	@RegisterExtension
	static final TwoNodes nodes = TwoNodes.of(2, "seatkeeper.reclaim.block-after=90d",
			"seatkeeper.reclaim.max-share=50");

	@Test
	void twoNodesStartingTheDaysRunAtOnceRunItOnce() throws Exception {
		JdbcTemplate jdbc = nodes.node(0).getBean(JdbcTemplate.class);
		Pools.reset(jdbc, 100, 10);
		PeopleService people = nodes.node(0).getBean(PeopleService.class);
		Timestamp longAgo = Timestamp.from(Instant.now().minus(Duration.ofDays(200)));
		for (int i = 0; i < 20; i++) {
			long id = people.create(aProfile("user" + i), "admin").id();
			if (i % 2 == 0) {
				jdbc.update("update profile set created_at = ?, last_sign_in_at = ? where id = ?", longAgo, longAgo,
						id);
			}
		}

		ExecutorService threads = Executors.newFixedThreadPool(2);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Optional<ReclaimRuns.RunView>>> runs = new ArrayList<>();
		try {
			for (int node = 0; node < 2; node++) {
				ReclaimRuns reclaim = nodes.node(node).getBean(ReclaimRuns.class);
				runs.add(threads.submit(() -> {
					start.await();
					return reclaim.runToday("node");
				}));
			}
			start.countDown();
			List<Optional<ReclaimRuns.RunView>> outcomes = new ArrayList<>();
			for (Future<Optional<ReclaimRuns.RunView>> run : runs) {
				outcomes.add(run.get());
			}
			assertThat(outcomes).filteredOn(Optional::isPresent).hasSize(1);
			assertThat(outcomes.stream().flatMap(Optional::stream).findFirst().orElseThrow().reclaimedPrimary())
				.isEqualTo(10);
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(jdbc.queryForObject("select count(*) from reclaim_run", Integer.class)).isEqualTo(1);
		assertThat(jdbc.queryForObject("select count(*) from profile where block_reason = 'DORMANT'", Integer.class))
			.isEqualTo(10);
		assertThat(jdbc.queryForObject(
				"select count(*) from audit_event where action = 'PROFILE_BLOCKED' and actor = 'reclaim'",
				Integer.class))
			.isEqualTo(10);
		assertThat(Pools.counter(jdbc, "PRIMARY")).isEqualTo(10).isEqualTo(Pools.activeRows(jdbc, "PRIMARY"));
		assertThat(nodes.node(1).getBean(LicenseService.class).countMismatches()).isEmpty();
	}

}
