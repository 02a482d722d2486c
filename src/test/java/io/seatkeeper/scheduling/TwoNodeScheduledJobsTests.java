package io.seatkeeper.scheduling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import io.seatkeeper.Nodes;
import io.seatkeeper.TwoNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.config.ScheduledTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Two nodes on one PostgreSQL database fire each scheduled job at the same moment, as
 * their schedules do: the job runs once, on one of them, and again only in the next
 * interval; any node's health details say when it ran last, where, and how it went.
 */
class TwoNodeScheduledJobsTests {

	/** Each scheduled job under the lock: its name and the method its schedule calls. */
	private static final Map<String, String> JOBS = Map.of("usage-snapshot", "UsageHistory.snapshotOnSchedule",
			"pool-check", "LimitEpisodes.checkPoolsOnSchedule", "license-expiry-check",
			"LicenseKeys.noticeExpiryOnSchedule", "forecast-check", "ForecastNotices.checkOnSchedule",
			"sign-in-failures-cleanup", "SignInFailures.forgetOldOnSchedule", "session-cleanup",
			"SessionCleanup.cleanUpOnSchedule");

	// The schedules themselves fire long after the test: it fires them.
	@RegisterExtension
	static final TwoNodes nodes = TwoNodes.of(2, "seatkeeper.usage.first-snapshot-after=1h",
			"seatkeeper.mail.pool-check-interval=1h", "seatkeeper.forecast.notice-within=30d",
			"seatkeeper.session.cleanup-cron=0 0 0 1 1 *");

	@Test
	void eachJobFiredOnTwoNodesAtOnceRunsOnceAndIsShownInTheHealthDetails() throws Exception {
		JdbcTemplate jdbc = nodes.node(0).getBean(JdbcTemplate.class);
		// Free every lock (ShedLock keeps its rows: it updates a row it inserted once).
		jdbc.update("update shedlock set lock_until = locked_at");
		jdbc.update("delete from scheduled_job");

		for (Map.Entry<String, String> job : JOBS.entrySet()) {
			fireOnBothAtOnce(job.getValue());
		}

		for (String job : JOBS.keySet()) {
			Map<String, Object> run = jdbc.queryForMap(
					"select runs, last_node, last_outcome, last_finished_at from scheduled_job where name = ?", job);
			assertThat(((Number) run.get("runs")).intValue()).as(job).isEqualTo(1);
			assertThat(run.get("last_node")).as(job).isIn("node-a", "node-b");
			assertThat(run.get("last_outcome")).as(job).isEqualTo("SUCCEEDED");
			assertThat(run.get("last_finished_at")).as(job).isNotNull();
		}

		// Fired again within the interval, on both: nobody runs it.
		for (Map.Entry<String, String> job : JOBS.entrySet()) {
			fireOnBothAtOnce(job.getValue());
		}
		assertThat(jdbc.queryForList("select runs from scheduled_job", Integer.class)).hasSize(JOBS.size())
			.containsOnly(1);

		String health = Nodes.mvc(nodes.node(1))
			.perform(get("/actuator/health").with(httpBasic("admin", Nodes.ADMIN_PASSWORD)))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(JsonPath.<String>read(health, "$.components.scheduledJobs.status")).isEqualTo("UP");
		assertThat(JsonPath.<String>read(health, "$.components.scheduledJobs.details.node")).isEqualTo("node-b");
		for (String job : JOBS.keySet()) {
			String path = "$.components.scheduledJobs.details.jobs['" + job + "']";
			assertThat(JsonPath.<String>read(health, path + ".node")).as(job).isIn("node-a", "node-b");
			assertThat(JsonPath.<String>read(health, path + ".outcome")).as(job).isEqualTo("SUCCEEDED");
			assertThat(JsonPath.<String>read(health, path + ".lastStarted")).as(job).isNotBlank();
			assertThat(JsonPath.<Integer>read(health, path + ".runs")).as(job).isEqualTo(1);
		}
	}

	@Test
	void aFailedRunIsShownWithItsError() {
		ScheduledJobs jobs = nodes.node(0).getBean(ScheduledJobs.class);

		boolean ran = jobs.runOnce("always-failing", "1h", () -> {
			throw new IllegalStateException("the directory is unreachable");
		});

		assertThat(ran).isTrue();
		Map<String, Object> run = nodes.node(1)
			.getBean(JdbcTemplate.class)
			.queryForMap(
					"select last_outcome, last_message, last_node from scheduled_job where name = 'always-failing'");
		assertThat(run.get("last_outcome")).isEqualTo("FAILED");
		assertThat((String) run.get("last_message")).contains("the directory is unreachable");
		assertThat(run.get("last_node")).isEqualTo("node-a");
		assertThat(nodes.node(1).getBean(ScheduledJobs.class).runOnce("always-failing", "1h", () -> {
		})).isFalse();
	}

	/**
	 * Runs the node's scheduled task that calls the method on each node, both released at
	 * the same moment.
	 */
	private static void fireOnBothAtOnce(String method) throws Exception {
		List<Runnable> tasks = List.of(task(nodes.node(0), method), task(nodes.node(1), method));
		CyclicBarrier start = new CyclicBarrier(tasks.size());
		ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
		try {
			List<Future<?>> runs = new ArrayList<>();
			for (Runnable task : tasks) {
				runs.add(threads.submit(() -> {
					start.await(10, TimeUnit.SECONDS);
					task.run();
					return null;
				}));
			}
			for (Future<?> run : runs) {
				run.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static Runnable task(ConfigurableApplicationContext node, String method) {
		for (ScheduledTaskHolder holder : node.getBeansOfType(ScheduledTaskHolder.class).values()) {
			for (ScheduledTask task : holder.getScheduledTasks()) {
				// The bean's class may be a proxy's (LicenseKeys$$SpringCGLIB$$0).
				String calls = task.getTask().getRunnable().toString();
				String type = method.substring(0, method.indexOf('.'));
				if (calls.endsWith(method.substring(method.indexOf('.'))) && calls.contains("." + type)) {
					return task.getTask().getRunnable();
				}
			}
		}
		throw new AssertionError("No scheduled task calls " + method);
	}

}
