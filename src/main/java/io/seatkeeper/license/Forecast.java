package io.seatkeeper.license;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * A pool's forecast (R20): the trend of its daily peak over the last 90 days and the day
 * the pool would be full at that rate.
 *
 * @param pool the pool
 * @param trend {@code RISING}, {@code FLAT}, {@code FALLING}, or {@code UNKNOWN} while
 * fewer than {@value UsageForecast#MIN_DAYS} days of history exist
 * @param perDay the fitted change of the daily peak, in licences per day; 0 while
 * {@code UNKNOWN}
 * @param level the fitted daily peak today, the point the line is drawn from
 * @param fullOn the day the fitted line reaches the pool's maximum, only while
 * {@code RISING}; today if it is there already
 * @param basisDays the days of history in the last 90 that the trend rests on
 * @param max the pool's maximum the forecast is measured against
 * @param today the day the forecast was made, in the history's time zone
 */
public record Forecast(Pool pool, Trend trend, double perDay, double level, LocalDate fullOn, int basisDays, int max,
		LocalDate today) {

	/**
	 * Days from today until the pool is full, or {@code null} unless the trend is rising.
	 */
	public Long daysUntilFull() {
		return (this.fullOn != null) ? ChronoUnit.DAYS.between(this.today, this.fullOn) : null;
	}

	/**
	 * The change per day as the API and the page show it: three decimals.
	 */
	public double perDayRounded() {
		return Math.round(this.perDay * 1000) / 1000.0;
	}

	/**
	 * The fitted daily peak on a day (in the past or the future), or {@code null} while
	 * the trend is unknown.
	 */
	public Double valueOn(LocalDate day) {
		if (this.trend == Trend.UNKNOWN) {
			return null;
		}
		double value = this.level + this.perDay * ChronoUnit.DAYS.between(this.today, day);
		return Math.round(Math.max(0, value) * 100) / 100.0;
	}

	/**
	 * Which way a pool's daily peak goes.
	 */
	public enum Trend {

		/** The pool fills at a steady rate: {@code fullOn} says when it is full. */
		RISING,

		/** Less than one licence up or down across the 90 days, or nothing but noise. */
		FLAT,

		/** Fewer licences are used day after day. */
		FALLING,

		/** Fewer than 14 days of history: no forecast yet. */
		UNKNOWN

	}

}
