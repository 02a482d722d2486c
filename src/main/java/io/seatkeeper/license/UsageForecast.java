package io.seatkeeper.license;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.seatkeeper.license.Forecast.Trend;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Each pool's forecast (R20), from its usage history: an ordinary least-squares line
 * through the daily peaks of the last 90 days (at most 90 rows per pool, so it is
 * computed on each request). A slope counts as rising or falling only when the line moves
 * by at least one licence across the 90 days and the slope is at least twice its standard
 * error; otherwise the pool is flat, and a few noisy days never announce a date. Days
 * without a row (the application was not running) are left out of the fit, not counted as
 * zero.
 */
@Service
public class UsageForecast {

	/** The days of history a forecast needs. */
	public static final int MIN_DAYS = 14;

	/** The window the trend is fitted over. */
	static final int WINDOW_DAYS = UsagePeriod.RECENT_DAYS;

	private final UsageHistory history;

	private final LicenseService licenses;

	UsageForecast(UsageHistory history, LicenseService licenses) {
		this.history = history;
		this.licenses = licenses;
	}

	/**
	 * The pool's forecast as of now, against its current maximum.
	 */
	@Transactional(readOnly = true)
	public Forecast forecast(Pool pool) {
		return compute(pool, this.history.days(pool, UsagePeriod.LAST_90_DAYS), this.licenses.usage(pool).max(),
				this.history.today());
	}

	/**
	 * Every pool's forecast, in the pools' declared order.
	 */
	@Transactional(readOnly = true)
	public List<Forecast> forecasts() {
		return List.of(Pool.values()).stream().map(this::forecast).toList();
	}

	/**
	 * The forecast of the days (the last 90 up to today) against a maximum.
	 */
	static Forecast compute(Pool pool, List<UsageDay> days, int max, LocalDate today) {
		List<UsageDay> window = days.stream()
			.filter((day) -> !day.date().isAfter(today) && ChronoUnit.DAYS.between(day.date(), today) < WINDOW_DAYS)
			.toList();
		int n = window.size();
		if (n < MIN_DAYS) {
			return new Forecast(pool, Trend.UNKNOWN, 0, 0, null, n, max, today);
		}
		// x: days relative to today (0 today, -89 the window's first day); y: the peak.
		double meanX = 0;
		double meanY = 0;
		for (UsageDay day : window) {
			meanX += x(day, today);
			meanY += day.peak();
		}
		meanX /= n;
		meanY /= n;
		double sxx = 0;
		double sxy = 0;
		for (UsageDay day : window) {
			double dx = x(day, today) - meanX;
			sxx += dx * dx;
			sxy += dx * (day.peak() - meanY);
		}
		double slope = sxy / sxx;
		double level = meanY - slope * meanX;
		double residuals = 0;
		for (UsageDay day : window) {
			double residual = day.peak() - (level + slope * x(day, today));
			residuals += residual * residual;
		}
		double standardError = Math.sqrt(residuals / (n - 2) / sxx);
		boolean moves = Math.abs(slope) * WINDOW_DAYS >= 1 && Math.abs(slope) >= 2 * standardError;
		if (!moves) {
			return new Forecast(pool, Trend.FLAT, slope, level, null, n, max, today);
		}
		if (slope < 0) {
			return new Forecast(pool, Trend.FALLING, slope, level, null, n, max, today);
		}
		// Less a hair, so that an exact whole number of days is not rounded up by the
		// float.
		double daysLeft = Math.max(0, Math.ceil((max - level) / slope - 1e-9));
		// Past the calendar's end is as good as never; a date is still given.
		LocalDate fullOn = today.plusDays((long) Math.min(daysLeft, 365L * 1000));
		return new Forecast(pool, Trend.RISING, slope, level, fullOn, n, max, today);
	}

	private static long x(UsageDay day, LocalDate today) {
		return -ChronoUnit.DAYS.between(day.date(), today);
	}

}
