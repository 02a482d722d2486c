package io.seatkeeper.scheduling;

import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * One node, on each database: a job runs once per interval under its lock row, its run is
 * recorded with this node's name, and the health details show it to sysadmins only.
 */
@SpringBootTest(properties = { "seatkeeper.node.name=console-1", "seatkeeper.usage.first-snapshot-after=1h" })
@AutoConfigureMockMvc
@Tag("database")
class ScheduledJobsTests {

	@Autowired
	ScheduledJobs jobs;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MockMvc mvc;

	@BeforeEach
	void forgetEveryRun() {
		// Free every lock (ShedLock keeps its rows: it updates a row it inserted once).
		this.jdbc.update("update shedlock set lock_until = locked_at");
		this.jdbc.update("delete from scheduled_job");
	}

	@Test
	void runsAJobOncePerIntervalAndRecordsItsRun() {
		AtomicInteger runs = new AtomicInteger();

		assertThat(this.jobs.runOnce("counting", "${seatkeeper.test.interval:1h}", runs::incrementAndGet)).isTrue();
		assertThat(this.jobs.runOnce("counting", "1h", runs::incrementAndGet)).isFalse();

		assertThat(runs).hasValue(1);
		assertThat(this.jdbc
			.queryForMap("select runs, last_node, last_outcome from scheduled_job where name = 'counting'"))
			.containsEntry("last_node", "console-1")
			.containsEntry("last_outcome", "SUCCEEDED");
		assertThat(this.jdbc.queryForObject("select locked_by from shedlock where name = 'counting'", String.class))
			.isEqualTo("console-1");
	}

	@Test
	void showsEachJobsLastRunInTheHealthDetailsToSysadmins() throws Exception {
		this.jobs.runOnce("counting", "1h", () -> {
		});

		String health = this.mvc.perform(get("/actuator/health").with(user("admin").roles("SYSADMIN")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();

		assertThat(JsonPath.<String>read(health, "$.components.scheduledJobs.details.node")).isEqualTo("console-1");
		assertThat(JsonPath.<String>read(health, "$.components.scheduledJobs.details.jobs.counting.node"))
			.isEqualTo("console-1");
		assertThat(JsonPath.<String>read(health, "$.components.scheduledJobs.details.jobs.counting.outcome"))
			.isEqualTo("SUCCEEDED");
		String anonymous = this.mvc.perform(get("/actuator/health"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(anonymous).doesNotContain("scheduledJobs").doesNotContain("console-1");
	}

	@Test
	void offersLivenessAndReadinessForALoadBalancer() throws Exception {
		this.mvc.perform(get("/actuator/health/readiness")).andExpect(status().isOk());
		this.mvc.perform(get("/actuator/health/liveness")).andExpect(status().isOk());
	}

}
