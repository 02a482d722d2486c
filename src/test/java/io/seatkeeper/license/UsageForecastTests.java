package io.seatkeeper.license;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import io.seatkeeper.Pools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The forecast (R20) on synthetic histories written straight into {@code usage_day}:
 * rising, flat, falling and too short, with gaps and with days outside the 90-day window;
 * as {@code GET /api/v1/license} answers it, as the gauge
 * {@code seatkeeper_license_days_until_full} shows it, as the License page says it and as
 * the chart's trend line draws it. The scheduled snapshot is put off, so that only the
 * test's rows exist.
 */
@SpringBootTest(properties = "seatkeeper.usage.first-snapshot-after=1h")
@AutoConfigureMockMvc
@Tag("database")
class UsageForecastTests {

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);

	@Autowired
	MockMvc mvc;

	@Autowired
	UsageHistory history;

	@Autowired
	UsageForecast forecasts;

	@Autowired
	JdbcTemplate jdbc;

	LocalDate today;

	@BeforeEach
	void emptyHistory() {
		Pools.reset(this.jdbc, 100, 20);
		this.jdbc.update("delete from usage_day");
		this.today = this.history.today();
	}

	@Test
	void aRisingPeakGivesTheDayThePoolIsFull() throws Exception {
		// 30 days, one more each day: 39 today, 61 days to 100.
		days(Pool.PRIMARY, 30, (i) -> 10 + i);

		this.mvc.perform(get("/api/v1/license").with(sysadmin()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.pools[0].pool").value("PRIMARY"))
			.andExpect(jsonPath("$.pools[0].forecast.trend").value("RISING"))
			.andExpect(jsonPath("$.pools[0].forecast.perDay").value(1.0))
			.andExpect(jsonPath("$.pools[0].forecast.fullOn").value(this.today.plusDays(61).toString()))
			.andExpect(jsonPath("$.pools[0].forecast.basisDays").value(30))
			.andExpect(jsonPath("$.pools[1].forecast.trend").value("UNKNOWN"))
			.andExpect(jsonPath("$.pools[1].forecast.basisDays").value(0));
		assertThat(gauge(prometheus(), "PRIMARY")).isEqualTo("61.0");
		assertThat(gauge(prometheus(), "EXTRANET")).isEqualTo("NaN");
		this.mvc.perform(get("/admin/system/license").with(sysadmin()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("At the last 90 days&#39; rate, Max_Users is reached around "
					+ DAY.format(this.today.plusDays(61)) + ".")))
			.andExpect(content().string(containsString("Not enough history yet (0 of 14 days).")));
	}

	@Test
	void theTrendLineRunsFromTheHistoryToTheDayThePoolIsFull() throws Exception {
		days(Pool.PRIMARY, 30, (i) -> 10 + i);

		String series = this.mvc.perform(get("/admin/system/license/usage").param("pool", "PRIMARY").with(sysadmin()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.trend.trend").value("RISING"))
			.andExpect(jsonPath("$.trend.fullOn").value(this.today.plusDays(61).toString()))
			.andReturn()
			.getResponse()
			.getContentAsString();

		List<String> dates = JsonPath.read(series, "$.trend.points[*].date");
		List<Double> values = JsonPath.read(series, "$.trend.points[*].value");
		assertThat(dates).hasSize(30 + 61);
		assertThat(dates.get(0)).isEqualTo(this.today.minusDays(29).toString());
		assertThat(dates.get(dates.size() - 1)).isEqualTo(this.today.plusDays(61).toString());
		assertThat(values.get(0)).isEqualTo(10.0);
		assertThat(values.get(values.size() - 1)).isEqualTo(100.0);
		// A year is history only: no line.
		this.mvc
			.perform(get("/admin/system/license/usage").param("pool", "PRIMARY")
				.param("period", String.valueOf(this.today.getYear()))
				.with(sysadmin()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.trend").doesNotExist());
	}

	@Test
	void aFlatPeakWithDailyNoiseIsFlat() throws Exception {
		days(Pool.PRIMARY, 60, (i) -> 50 + (i % 2));

		this.mvc.perform(get("/api/v1/license").with(sysadmin()))
			.andExpect(jsonPath("$.pools[0].forecast.trend").value("FLAT"))
			.andExpect(jsonPath("$.pools[0].forecast.fullOn").value(org.hamcrest.Matchers.nullValue()))
			.andExpect(jsonPath("$.pools[0].forecast.basisDays").value(60));
		assertThat(gauge(prometheus(), "PRIMARY")).isEqualTo("NaN");
		this.mvc.perform(get("/admin/system/license").with(sysadmin()))
			.andExpect(content().string(containsString("Usage is flat or falling.")))
			.andExpect(content().string(not(containsString("is reached around"))));
	}

	@Test
	void aFallingPeakIsFalling() throws Exception {
		days(Pool.EXTRANET, 20, (i) -> 20 - i / 2);

		Forecast forecast = this.forecasts.forecast(Pool.EXTRANET);

		assertThat(forecast.trend()).isEqualTo(Forecast.Trend.FALLING);
		assertThat(forecast.perDay()).isNegative();
		assertThat(forecast.fullOn()).isNull();
		assertThat(forecast.daysUntilFull()).isNull();
		this.mvc.perform(get("/api/v1/license").with(sysadmin()))
			.andExpect(jsonPath("$.pools[1].pool").value("EXTRANET"))
			.andExpect(jsonPath("$.pools[1].forecast.trend").value("FALLING"))
			.andExpect(jsonPath("$.pools[1].forecast.basisDays").value(20));
		assertThat(gauge(prometheus(), "EXTRANET")).isEqualTo("NaN");
	}

	@Test
	void thirteenDaysAreNotEnough() throws Exception {
		days(Pool.PRIMARY, 13, (i) -> 10 + 5 * i);

		this.mvc.perform(get("/api/v1/license").with(sysadmin()))
			.andExpect(jsonPath("$.pools[0].forecast.trend").value("UNKNOWN"))
			.andExpect(jsonPath("$.pools[0].forecast.perDay").value(0.0))
			.andExpect(jsonPath("$.pools[0].forecast.fullOn").value(org.hamcrest.Matchers.nullValue()))
			.andExpect(jsonPath("$.pools[0].forecast.basisDays").value(13));
		assertThat(gauge(prometheus(), "PRIMARY")).isEqualTo("NaN");
		this.mvc.perform(get("/admin/system/license").with(sysadmin()))
			.andExpect(content().string(containsString("Not enough history yet (13 of 14 days).")));
		this.mvc.perform(get("/admin/system/license/usage").param("pool", "PRIMARY").with(sysadmin()))
			.andExpect(jsonPath("$.trend.trend").value("UNKNOWN"))
			.andExpect(jsonPath("$.trend.points").isEmpty());

		day(Pool.PRIMARY, this.today.minusDays(13), 5);

		assertThat(this.forecasts.forecast(Pool.PRIMARY).trend()).isEqualTo(Forecast.Trend.RISING);
	}

	@Test
	void onlyTheLast90DaysCountAndMissingDaysAreLeftOut() throws Exception {
		// Every third day of the last 90, half a licence a day; a steep year before that.
		for (int back = 0; back < 90; back += 3) {
			day(Pool.PRIMARY, this.today.minusDays(back), 80 - back / 2);
		}
		for (int back = 90; back < 400; back++) {
			day(Pool.PRIMARY, this.today.minusDays(back), 1000 - back);
		}

		Forecast forecast = this.forecasts.forecast(Pool.PRIMARY);

		assertThat(forecast.basisDays()).isEqualTo(30);
		assertThat(forecast.trend()).isEqualTo(Forecast.Trend.RISING);
		assertThat(forecast.perDay()).isBetween(0.45, 0.55);
		// About 80 today: about 40 days to 100.
		assertThat(forecast.daysUntilFull()).isBetween(36L, 44L);
		assertThat(gauge(prometheus(), "PRIMARY")).isEqualTo(forecast.daysUntilFull() + ".0");
	}

	@Test
	void aPoolAtItsMaximumIsFullToday() {
		Pools.reset(this.jdbc, 30, 20);
		days(Pool.PRIMARY, 30, (i) -> 10 + i);

		Forecast forecast = this.forecasts.forecast(Pool.PRIMARY);

		assertThat(forecast.trend()).isEqualTo(Forecast.Trend.RISING);
		assertThat(forecast.fullOn()).isEqualTo(this.today);
		assertThat(forecast.daysUntilFull()).isZero();
	}

	/**
	 * One row per day for the last {@code count} days, oldest first: day {@code i} (0 the
	 * oldest) has the peak {@code peak(i)}.
	 */
	private void days(Pool pool, int count, IntUnaryOperator peak) {
		for (int i = 0; i < count; i++) {
			day(pool, this.today.minusDays(count - 1 - i), peak.applyAsInt(i));
		}
	}

	private void day(Pool pool, LocalDate date, int peak) {
		this.jdbc.update(
				"insert into usage_day (pool, usage_date, max_users, active_count, awaiting, peak_active, updated_at) "
						+ "values (?, ?, ?, ?, 0, ?, ?)",
				pool.name(), Date.valueOf(date), 100, peak, peak, Timestamp.from(Instant.now()));
	}

	private String prometheus() throws Exception {
		return this.mvc.perform(get("/actuator/prometheus").with(sysadmin()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	private static String gauge(String metrics, String pool) {
		Matcher line = Pattern
			.compile("(?m)^seatkeeper_license_days_until_full\\{([^}]*,)?pool=\"" + pool + "\"(,[^}]*)?\\} (\\S+)$")
			.matcher(metrics);
		assertThat(line.find()).as("the days until full of the %s pool in%n%s", pool, metrics).isTrue();
		return line.group(3);
	}

	private static RequestPostProcessor sysadmin() {
		return user("admin").roles("SYSADMIN");
	}

}
