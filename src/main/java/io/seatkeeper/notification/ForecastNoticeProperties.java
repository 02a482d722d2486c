package io.seatkeeper.notification;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The optional forecast notice (R20).
 *
 * @param noticeWithin when a pool's forecast says it is full within this many days (for
 * example {@code 30d}), the responsible person is told, once per episode; unset, no
 * notice is sent (the default)
 * @param checkInterval how often each node checks every pool's forecast
 */
@ConfigurationProperties("seatkeeper.forecast")
public record ForecastNoticeProperties(Duration noticeWithin, @DefaultValue("1h") Duration checkInterval) {

	public ForecastNoticeProperties {
		if (noticeWithin != null
				&& (noticeWithin.toDays() < 1 || !noticeWithin.equals(Duration.ofDays(noticeWithin.toDays())))) {
			throw new IllegalArgumentException(
					"seatkeeper.forecast.notice-within must be a whole number of days, at least 1d (such as 30d), not "
							+ noticeWithin);
		}
		if (checkInterval.isNegative() || checkInterval.isZero()) {
			throw new IllegalArgumentException("seatkeeper.forecast.check-interval must be positive");
		}
	}

	/**
	 * Whether the notice is on.
	 */
	boolean enabled() {
		return this.noticeWithin != null;
	}

}
