package io.seatkeeper.license;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The usage history behind the License page's charts (R10): one pool's days of a period
 * as JSON for the chart, and the same days as a CSV download.
 */
@RestController
class UsageHistoryController {

	private final UsageHistory history;

	private final UsageForecast forecasts;

	private final MessageSource messages;

	UsageHistoryController(UsageHistory history, UsageForecast forecasts, MessageSource messages) {
		this.history = history;
		this.forecasts = forecasts;
		this.messages = messages;
	}

	@GetMapping("/admin/system/license/usage")
	UsageSeries series(@RequestParam(defaultValue = "PRIMARY") String pool,
			@RequestParam(defaultValue = "last90") String period) {
		Pool chosen = pool(pool);
		UsagePeriod chosenPeriod = period(period);
		List<UsageDay> days = this.history.days(chosen, chosenPeriod);
		TrendLine trend = chosenPeriod.equals(UsagePeriod.LAST_90_DAYS)
				? TrendLine.of(this.forecasts.forecast(chosen), days) : null;
		return new UsageSeries(chosen, chosen.label(), chosenPeriod.key(), days, trend);
	}

	@GetMapping("/admin/system/license/usage.csv")
	void csv(@RequestParam(defaultValue = "PRIMARY") String pool, @RequestParam(defaultValue = "last90") String period,
			HttpServletResponse response) throws IOException {
		Pool chosen = pool(pool);
		UsagePeriod chosenPeriod = period(period);
		List<UsageDay> days = this.history.days(chosen, chosenPeriod);
		response.setContentType("text/csv;charset=UTF-8");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.setHeader("Content-Disposition", "attachment; filename=\"usage-"
				+ chosen.name().toLowerCase(Locale.ROOT) + "-" + chosenPeriod.key() + ".csv\"");
		Writer out = response.getWriter();
		CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180);
		Locale locale = LocaleContextHolder.getLocale();
		csv.printRecord(message("usage.csv.date", locale), message("usage.csv.pool", locale), chosen.label(),
				message("usage.csv.active", locale), message("usage.csv.peak", locale),
				message("usage.csv.awaiting", locale));
		for (UsageDay day : days) {
			csv.printRecord(day.date(), chosen.label(), day.max(), day.active(), day.peak(), day.awaiting());
		}
		csv.flush();
	}

	@ExceptionHandler(BadUsageRequest.class)
	ResponseEntity<ProblemDetail> badRequest(BadUsageRequest ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				this.messages.getMessage(ex.key, new Object[] { ex.value }, LocaleContextHolder.getLocale()));
		problem.setProperty("code", ex.key);
		problem.setProperty("message", problem.getDetail());
		return ResponseEntity.badRequest().body(problem);
	}

	private String message(String key, Locale locale) {
		return this.messages.getMessage(key, null, locale);
	}

	private static Pool pool(String text) {
		for (Pool pool : Pool.values()) {
			if (pool.name().equalsIgnoreCase(text)) {
				return pool;
			}
		}
		throw new BadUsageRequest("usage.error.pool", text);
	}

	private static UsagePeriod period(String text) {
		try {
			return UsagePeriod.parse(text);
		}
		catch (IllegalArgumentException ex) {
			throw new BadUsageRequest("usage.error.period", text);
		}
	}

	/**
	 * One pool's days of a period, for the chart.
	 *
	 * @param pool the pool
	 * @param label its licence key name ({@code Max_Users}, {@code Max_extranet_users})
	 * @param period {@code last90} or the year
	 * @param days the days, oldest first
	 * @param trend the forecast's line, only for the last 90 days
	 */
	record UsageSeries(Pool pool, String label, String period, List<UsageDay> days, TrendLine trend) {

	}

	/**
	 * The forecast drawn as a dashed line: its fitted value on each day of the history
	 * and on each day ahead, up to the day the pool is full (at most 90 days ahead) when
	 * rising, 30 days ahead when flat or falling; no points while the trend is unknown.
	 *
	 * @param trend the trend's name
	 * @param perDay the change per day
	 * @param fullOn the day the pool is full at that rate, or {@code null}
	 * @param basisDays the days of history the trend rests on
	 * @param points the line's points, oldest first
	 */
	record TrendLine(String trend, double perDay, LocalDate fullOn, int basisDays, List<TrendPoint> points) {

		static final int RISING_AHEAD = 90;

		static final int FLAT_AHEAD = 30;

		static TrendLine of(Forecast forecast, List<UsageDay> days) {
			List<TrendPoint> points = new ArrayList<>();
			if (forecast.trend() != Forecast.Trend.UNKNOWN) {
				for (UsageDay day : days) {
					points.add(new TrendPoint(day.date(), forecast.valueOn(day.date())));
				}
				long ahead = (forecast.fullOn() != null) ? Math.min(RISING_AHEAD, forecast.daysUntilFull())
						: FLAT_AHEAD;
				for (long i = 1; i <= ahead; i++) {
					LocalDate day = forecast.today().plusDays(i);
					points.add(new TrendPoint(day, forecast.valueOn(day)));
				}
			}
			return new TrendLine(forecast.trend().name(), forecast.perDayRounded(), forecast.fullOn(),
					forecast.basisDays(), points);
		}

	}

	/**
	 * One point of the trend line.
	 */
	record TrendPoint(LocalDate date, double value) {

	}

	private static final class BadUsageRequest extends RuntimeException {

		private final String key;

		private final String value;

		BadUsageRequest(String key, String value) {
			super(key + ": " + value, null, false, false);
			this.key = key;
			this.value = value;
		}

	}

}
