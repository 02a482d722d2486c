package io.seatkeeper.license;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.seatkeeper.NewProfiles;
import io.seatkeeper.Pools;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.PeopleService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The licence gauges on {@code /actuator/prometheus} and the {@code licenseCounts} health
 * component read the same rows as the gate.
 */
@SpringBootTest(properties = "seatkeeper.admin.password=" + LicenseMetricsTests.ADMIN_PASSWORD)
@AutoConfigureMockMvc
class LicenseMetricsTests {

	static final String ADMIN_PASSWORD = "built-in-secret-1";

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
		Pools.reset(this.jdbc, 7, 3);
	}

	@AfterEach
	void countersEqualTheRows() {
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	@Test
	void prometheusShowsEachPoolsMaximumAndActiveCount() throws Exception {
		long partners = this.areas.createExtranet("Partners", "admin").id();
		aProfile("alice", null);
		aProfile("bob", null);
		long carol = aProfile("carol", null);
		this.people.block(carol, "admin");
		aProfile("eve", partners);

		String metrics = prometheus();

		assertThat(gauge(metrics, "seatkeeper_license_max", "PRIMARY")).isEqualTo(7);
		assertThat(gauge(metrics, "seatkeeper_license_active", "PRIMARY")).isEqualTo(2);
		assertThat(gauge(metrics, "seatkeeper_license_available", "PRIMARY")).isEqualTo(5);
		assertThat(gauge(metrics, "seatkeeper_license_max", "EXTRANET")).isEqualTo(3);
		assertThat(gauge(metrics, "seatkeeper_license_active", "EXTRANET")).isEqualTo(1);
		assertThat(gauge(metrics, "seatkeeper_license_available", "EXTRANET")).isEqualTo(2);
	}

	@Test
	void prometheusFollowsEachChange() throws Exception {
		assertThat(gauge(prometheus(), "seatkeeper_license_active", "PRIMARY")).isZero();
		long alice = aProfile("alice", null);
		assertThat(gauge(prometheus(), "seatkeeper_license_active", "PRIMARY")).isEqualTo(1);

		this.people.block(alice, "admin");
		this.jdbc.update(
				"update profile set block_reason = 'AWAITING_LICENSE', awaiting_since = blocked_at where id = ?",
				alice);

		String metrics = prometheus();
		assertThat(gauge(metrics, "seatkeeper_license_active", "PRIMARY")).isZero();
		assertThat(gauge(metrics, "seatkeeper_license_awaiting", "PRIMARY")).isEqualTo(1);
	}

	@Test
	void prometheusIsForSysadminsOnly() throws Exception {
		this.mvc.perform(get("/actuator/prometheus")).andExpect(status().isUnauthorized());
		this.mvc.perform(get("/actuator/prometheus").with(httpBasic("admin", "wrong-password")))
			.andExpect(status().isUnauthorized());
		long operator = aProfile("operator", null, "operator-secret-1");
		this.people.changeRoles(operator, false, true, "admin");
		this.mvc.perform(get("/actuator/prometheus").with(httpBasic("operator", "operator-secret-1")))
			.andExpect(status().isForbidden());
	}

	@Test
	void healthIsPublicAndUp() throws Exception {
		this.mvc.perform(get("/actuator/health"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("UP"))
			.andExpect(jsonPath("$.components").doesNotExist());
	}

	@Test
	void licenseCountsAreUpWhileCountersEqualTheRows() throws Exception {
		aProfile("alice", null);

		this.mvc.perform(get("/actuator/health").with(sysadmin()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("UP"))
			.andExpect(jsonPath("$.components.licenseCounts.status").value("UP"));
	}

	@Test
	void licenseCountsGoDownNamingThePoolWhoseCounterIsCorrupted() throws Exception {
		aProfile("alice", null);
		this.jdbc.update("update license_pool set active_count = active_count + 1 where pool = 'PRIMARY'");
		try {
			this.mvc.perform(get("/actuator/health").with(sysadmin()))
				.andExpect(status().isServiceUnavailable())
				.andExpect(jsonPath("$.status").value("DOWN"))
				.andExpect(jsonPath("$.components.licenseCounts.status").value("DOWN"))
				.andExpect(jsonPath("$.components.licenseCounts.details.mismatches",
						contains(containsString("PRIMARY: counter 2, rows 1"))));
			this.mvc.perform(get("/actuator/health"))
				.andExpect(status().isServiceUnavailable())
				.andExpect(jsonPath("$.status").value("DOWN"))
				.andExpect(jsonPath("$.components").doesNotExist());
		}
		finally {
			this.jdbc.update("update license_pool set active_count = active_count - 1 where pool = 'PRIMARY'");
		}

		this.mvc.perform(get("/actuator/health").with(sysadmin()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.components.licenseCounts.status").value("UP"));
	}

	@Test
	void licenseCountsNameEveryPoolThatDisagrees() throws Exception {
		this.jdbc.update("update license_pool set active_count = active_count + 1");
		try {
			this.mvc.perform(get("/actuator/health").with(sysadmin()))
				.andExpect(status().isServiceUnavailable())
				.andExpect(jsonPath("$.components.licenseCounts.details.mismatches",
						contains(containsString("PRIMARY"), containsString("EXTRANET"))));
		}
		finally {
			this.jdbc.update("update license_pool set active_count = active_count - 1");
		}
	}

	private String prometheus() throws Exception {
		return this.mvc.perform(get("/actuator/prometheus").with(sysadmin()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	private static double gauge(String metrics, String name, String pool) {
		Matcher line = Pattern.compile("(?m)^" + name + "\\{([^}]*,)?pool=\"" + pool + "\"(,[^}]*)?\\} (\\S+)$")
			.matcher(metrics);
		assertThat(line.find()).as("%s of the %s pool in%n%s", name, pool, metrics).isTrue();
		return Double.parseDouble(line.group(3));
	}

	private static RequestPostProcessor sysadmin() {
		return httpBasic("admin", ADMIN_PASSWORD);
	}

	private long aProfile(String username, Long areaId) {
		return aProfile(username, areaId, null);
	}

	private long aProfile(String username, Long areaId, String password) {
		return this.people.create(NewProfiles.aProfile(username, areaId, password), "admin").id();
	}

}
