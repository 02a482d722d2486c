package io.seatkeeper.license;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.seatkeeper.license.Forecast.Trend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The forecast's method on its own (no database): the least-squares line, the rule that
 * noise is flat, and the day the line reaches the maximum.
 */
class ForecastMethodTests {

	private static final LocalDate TODAY = LocalDate.of(2026, 11, 17);

	@Test
	void noiseAroundALevelIsFlat() {
		Random random = new Random(17);
		List<UsageDay> days = new ArrayList<>();
		for (int back = 0; back < 90; back++) {
			days.add(day(back, 500 + random.nextInt(41) - 20));
		}

		Forecast forecast = UsageForecast.compute(Pool.PRIMARY, days, 600, TODAY);

		assertThat(forecast.trend()).isEqualTo(Trend.FLAT);
		assertThat(forecast.fullOn()).isNull();
		assertThat(forecast.basisDays()).isEqualTo(90);
	}

	@Test
	void aSteadyRiseThroughNoiseIsRising() {
		Random random = new Random(17);
		List<UsageDay> days = new ArrayList<>();
		for (int back = 0; back < 90; back++) {
			days.add(day(back, 500 - back + random.nextInt(11) - 5));
		}

		Forecast forecast = UsageForecast.compute(Pool.PRIMARY, days, 600, TODAY);

		assertThat(forecast.trend()).isEqualTo(Trend.RISING);
		assertThat(forecast.perDay()).isBetween(0.95, 1.05);
		assertThat(forecast.daysUntilFull()).isBetween(95L, 105L);
	}

	@Test
	void lessThanOneLicenceAcrossTheWindowIsFlat() {
		// One more for the last ten days only: the line climbs about 0.6 over the 90.
		List<UsageDay> days = new ArrayList<>();
		for (int back = 0; back < 90; back++) {
			days.add(day(back, (back < 10) ? 11 : 10));
		}

		assertThat(UsageForecast.compute(Pool.PRIMARY, days, 20, TODAY).trend()).isEqualTo(Trend.FLAT);
	}

	@Test
	void anExactWholeNumberOfDaysIsNotRoundedUp() {
		List<UsageDay> days = new ArrayList<>();
		for (int back = 0; back < 30; back++) {
			days.add(day(back, 70 - 2 * back));
		}

		Forecast forecast = UsageForecast.compute(Pool.PRIMARY, days, 100, TODAY);

		assertThat(forecast.perDay()).isEqualTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
		assertThat(forecast.fullOn()).isEqualTo(TODAY.plusDays(15));
		assertThat(forecast.valueOn(TODAY.plusDays(15))).isEqualTo(100.0);
	}

	@Test
	void daysAfterTodayAndBeforeTheWindowAreIgnored() {
		List<UsageDay> days = new ArrayList<>();
		days.add(day(120, 0));
		for (int back = 0; back < 14; back++) {
			days.add(day(back, 10));
		}
		days.add(day(-3, 999));

		Forecast forecast = UsageForecast.compute(Pool.PRIMARY, days, 100, TODAY);

		assertThat(forecast.basisDays()).isEqualTo(14);
		assertThat(forecast.trend()).isEqualTo(Trend.FLAT);
		assertThat(forecast.perDay()).isZero();
	}

	private static UsageDay day(int back, int peak) {
		return new UsageDay(TODAY.minusDays(back), 100, peak, peak, 0);
	}

}
