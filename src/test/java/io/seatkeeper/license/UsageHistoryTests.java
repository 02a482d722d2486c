package io.seatkeeper.license;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;

import io.seatkeeper.Pools;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The usage history (R10): the gate raises the day's peak as it happens, the snapshot
 * records the day's figures, old rows are pruned, and the License page shows the chart,
 * the CSV and the all-time peak. The scheduled snapshot is put off, so that each test
 * decides when one is taken.
 */
@SpringBootTest(properties = "seatkeeper.usage.first-snapshot-after=1h")
@AutoConfigureMockMvc
@Tag("database")
class UsageHistoryTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	PeopleService people;

	@Autowired
	UsageHistory history;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void emptyHistory() {
		Pools.reset(this.jdbc, 10, 4);
		this.jdbc.update("delete from usage_day");
		this.jdbc.update("update usage_peak set peak_active = 0, peak_date = null");
	}

	@Test
	void thePeakIsTrackedAsItHappensNotSampled() {
		List<ProfileView> added = addActive(5);
		for (ProfileView profile : added.subList(0, 3)) {
			this.people.block(profile.id(), "admin");
		}

		this.history.snapshot();

		UsageDay today = today(Pool.PRIMARY);
		assertThat(today.peak()).isEqualTo(5);
		assertThat(today.active()).isEqualTo(2);
		assertThat(today.max()).isEqualTo(10);
		assertThat(this.history.allTimePeak(Pool.PRIMARY).peak()).isEqualTo(5);
		assertThat(this.history.allTimePeak(Pool.PRIMARY).date()).isEqualTo(this.history.today());
		assertThat(rows(Pool.PRIMARY)).isEqualTo(1);
	}

	@Test
	void theDaysRowExistsAfterTheFirstActivationWithoutASnapshot() {
		addActive(3);

		UsageDay today = today(Pool.PRIMARY);
		assertThat(today.peak()).isEqualTo(3);
		assertThat(today.active()).isEqualTo(3);
		assertThat(rows(Pool.EXTRANET)).isZero();
	}

	@Test
	void theSnapshotRecordsTheAwaitingQueueAndKeepsOneRowPerDay() {
		List<ProfileView> added = addActive(3);
		this.people.block(added.get(2).id(), "admin");
		this.jdbc.update(
				"update profile set block_reason = 'AWAITING_LICENSE', awaiting_since = blocked_at where id = ?",
				added.get(2).id());
		this.jdbc.update("update license_pool set max_users = 2 where pool = 'PRIMARY'");

		this.history.snapshot();
		this.history.snapshot();

		UsageDay today = today(Pool.PRIMARY);
		assertThat(today.awaiting()).isEqualTo(1);
		assertThat(today.max()).isEqualTo(2);
		assertThat(today.active()).isEqualTo(2);
		assertThat(rows(Pool.PRIMARY)).isEqualTo(1);
		assertThat(rows(Pool.EXTRANET)).isEqualTo(1);
	}

	@Test
	void rowsOlderThanTwoYearsArePruned() {
		LocalDate today = this.history.today();
		insertDay(Pool.PRIMARY, today.minusYears(2).minusDays(1), 7);
		insertDay(Pool.PRIMARY, today.minusYears(2).plusDays(1), 8);
		insertDay(Pool.PRIMARY, today.minusDays(700), 9);

		this.history.snapshot();

		assertThat(this.jdbc.queryForList("select usage_date from usage_day where pool = 'PRIMARY' order by usage_date",
				LocalDate.class))
			.containsExactly(today.minusYears(2).plusDays(1), today.minusDays(700), today);
	}

	@Test
	void theJsonSeriesCoversTheChosenPeriod() throws Exception {
		LocalDate today = this.history.today();
		insertDay(Pool.PRIMARY, today.minusDays(100), 4);
		insertDay(Pool.PRIMARY, today.minusDays(10), 6);
		insertDay(Pool.PRIMARY, LocalDate.of(2024, 6, 1), 3);

		this.mvc.perform(get("/admin/system/license/usage?pool=PRIMARY").with(sysadmin()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.label").value("Max_Users"))
			.andExpect(jsonPath("$.period").value("last90"))
			.andExpect(jsonPath("$.days.length()").value(1))
			.andExpect(jsonPath("$.days[0].date").value(today.minusDays(10).toString()))
			.andExpect(jsonPath("$.days[0].peak").value(6));
		this.mvc.perform(get("/admin/system/license/usage?pool=PRIMARY&period=2024").with(sysadmin()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.days.length()").value(1))
			.andExpect(jsonPath("$.days[0].date").value("2024-06-01"));
	}

	@Test
	void theCsvHoldsTheSameDays() throws Exception {
		addActive(4);
		this.history.snapshot();
		LocalDate today = this.history.today();
		insertDay(Pool.PRIMARY, today.minusDays(1), 2);

		String csv = this.mvc
			.perform(get("/admin/system/license/usage.csv?pool=PRIMARY&period=last90").with(sysadmin()))
			.andExpect(status().isOk())
			.andExpect(header().string("Content-Disposition", containsString("usage-primary-last90.csv")))
			.andExpect(content().contentTypeCompatibleWith("text/csv"))
			.andReturn()
			.getResponse()
			.getContentAsString();

		assertThat(csv.lines().toList()).containsExactly("Date,Pool,Max_Users,Active,Peak active,Awaiting a licence",
				today.minusDays(1) + ",Max_Users,10,2,2,0", today + ",Max_Users,10,4,4,0");
	}

	@Test
	void badPoolOrPeriodIsAClearBadRequest() throws Exception {
		this.mvc.perform(get("/admin/system/license/usage.csv?pool=GOLD").with(sysadmin()))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value("There is no pool 'GOLD': use PRIMARY or EXTRANET."));
		this.mvc.perform(get("/admin/system/license/usage?pool=PRIMARY&period=yesterday").with(sysadmin()))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value("The period 'yesterday' is neither last90 nor a year such as 2025."));
		assertThat(this.jdbc.queryForObject("select count(*) from usage_day", Integer.class)).isZero();
	}

	@Test
	void theLicensePageShowsTheChartsTheYearsAndTheAllTimePeak() throws Exception {
		addActive(3);
		insertDay(Pool.PRIMARY, LocalDate.of(2025, 3, 14), 2);

		String page = this.mvc.perform(get("/admin/system/license").with(sysadmin()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();

		assertThat(page).contains("<canvas class=\"usage-chart-canvas\" role=\"img\" id=\"chart-PRIMARY\"");
		assertThat(page).contains("id=\"chart-EXTRANET\"");
		assertThat(page).containsPattern("<script src=\"/webjars/chart.js/[0-9.]+/dist/chart.umd.js\">")
			.contains("<script src=\"/js/usage-chart.js\">");
		assertThat(page).contains("All-time peak: 3 active on " + this.history.today());
		assertThat(page).contains("All-time peak: nothing has been active yet.");
		assertThat(page).contains("<option value=\"2025\">2025</option>");
		assertThat(page).contains("href=\"/admin/system/license/usage.csv?pool=PRIMARY&amp;period=last90\"");
	}

	@Test
	void theChartScriptAndLibraryAreServed() throws Exception {
		this.mvc.perform(get("/webjars/chart.js/dist/chart.umd.js").with(sysadmin()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Chart")));
		this.mvc.perform(get("/js/usage-chart.js").with(sysadmin()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("usage-chart-canvas")));
	}

	private List<ProfileView> addActive(int count) {
		return java.util.stream.IntStream.range(0, count)
			.mapToObj((i) -> this.people.create(aProfile("user" + i, null), "admin"))
			.peek((profile) -> assertThat(profile.active()).isTrue())
			.toList();
	}

	private UsageDay today(Pool pool) {
		List<UsageDay> days = this.history.days(pool, UsagePeriod.LAST_90_DAYS);
		assertThat(days).isNotEmpty();
		UsageDay last = days.get(days.size() - 1);
		assertThat(last.date()).isEqualTo(this.history.today());
		return last;
	}

	private int rows(Pool pool) {
		return this.jdbc.queryForObject("select count(*) from usage_day where pool = ?", Integer.class, pool.name());
	}

	private void insertDay(Pool pool, LocalDate day, int peak) {
		this.jdbc.update(
				"insert into usage_day (pool, usage_date, max_users, active_count, awaiting, peak_active, updated_at) "
						+ "values (?, ?, 10, ?, 0, ?, current_timestamp)",
				pool.name(), Date.valueOf(day), peak, peak);
	}

	private static RequestPostProcessor sysadmin() {
		return user("admin").roles("SYSADMIN", "PEOPLE_ADMIN");
	}

}
