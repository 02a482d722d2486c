package io.seatkeeper.notification;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The forecast notice's settings as a deployment writes them: off unless set, whole days,
 * and a clear message for anything else.
 */
class ForecastNoticePropertiesTests {

	@Test
	void isOffUnlessSet() {
		ForecastNoticeProperties properties = bind(Map.of());

		assertThat(properties.enabled()).isFalse();
		assertThat(properties.checkInterval()).isEqualTo(Duration.ofHours(1));
	}

	@Test
	void takesAWholeNumberOfDays() {
		ForecastNoticeProperties properties = bind(Map.of("seatkeeper.forecast.notice-within", "30d"));

		assertThat(properties.enabled()).isTrue();
		assertThat(properties.noticeWithin()).isEqualTo(Duration.ofDays(30));
	}

	@Test
	void refusesPartOfADayWithAMessageNamingTheKey() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("seatkeeper.forecast.notice-within", "36h")))
			.havingRootCause()
			.withMessage("seatkeeper.forecast.notice-within must be a whole number of days, at least 1d (such as 30d), "
					+ "not PT36H");
	}

	private static ForecastNoticeProperties bind(Map<String, String> settings) {
		return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("seatkeeper.forecast",
				ForecastNoticeProperties.class);
	}

}
