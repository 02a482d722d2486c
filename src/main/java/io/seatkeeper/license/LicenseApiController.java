package io.seatkeeper.license;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/license}: each pool's figures, and the licence key in force, for
 * automation.
 */
@RestController
@RequestMapping("/api/v1/license")
@Tag(name = "Licence", description = "Sysadmins and people administrators (SYSADMIN or PEOPLE_ADMIN)")
class LicenseApiController {

	private final LicenseService licenses;

	static final int QUEUE_SHOWN = 100;

	private final LicenseKeys keys;

	private final UsageForecast forecasts;

	LicenseApiController(LicenseService licenses, LicenseKeys keys, UsageForecast forecasts) {
		this.licenses = licenses;
		this.keys = keys;
		this.forecasts = forecasts;
	}

	@Operation(summary = "Show the licence",
			description = "Each pool's maximum, active profiles, free licences and profiles awaiting one, and the "
					+ "licence key in force (absent on the evaluation licence). Each pool's forecast: the trend of "
					+ "its daily peak over the last 90 days (RISING, FLAT, FALLING, or UNKNOWN before 14 days of "
					+ "history), the change per day, the day it would be full at that rate (only while RISING) and "
					+ "the days of history it rests on.")
	@ApiResponse(responseCode = "200", description = "The pools and the key")
	@GetMapping
	Pools showLicense() {
		return new Pools(
				this.licenses.usage()
					.stream()
					.map((usage) -> new PoolFigures(usage.pool().name(), usage.max(), usage.active(), usage.available(),
							usage.awaiting(), ForecastFigures.of(this.forecasts.forecast(usage.pool())),
							this.licenses.queue(usage.pool(), QUEUE_SHOWN)
								.stream()
								.map((queued) -> new QueueEntry(queued.id(), queued.username(), queued.source(),
										queued.since(), queued.position()))
								.toList()))
					.toList(),
				this.keys.current()
					.map((key) -> new KeyDetails(key.serial(), key.licensee(), key.maxUsers(), key.maxExtranetUsers(),
							key.issued(), key.expires(), key.request()))
					.orElse(null));
	}

	/**
	 * The figures; {@code key} is left out on the evaluation licence.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Pools(List<PoolFigures> pools, KeyDetails key) {
	}

	/**
	 * A pool's figures; {@code queue} is the first {@value #QUEUE_SHOWN} of its awaiting
	 * queue, oldest first ({@code awaiting} counts them all).
	 */
	record PoolFigures(String pool, int max, int active, int available, long awaiting, ForecastFigures forecast,
			List<QueueEntry> queue) {
	}

	/**
	 * A profile in a pool's queue: where it came from, since when it waits, its place.
	 */
	record QueueEntry(long id, String username, String source, Instant since, int position) {
	}

	/**
	 * A pool's forecast; {@code fullOn} is {@code null} unless the trend is rising.
	 */
	record ForecastFigures(String trend, double perDay, LocalDate fullOn, int basisDays) {

		static ForecastFigures of(Forecast forecast) {
			return new ForecastFigures(forecast.trend().name(), forecast.perDayRounded(), forecast.fullOn(),
					forecast.basisDays());
		}

	}

	record KeyDetails(long serial, String licensee, int maxUsers, int maxExtranetUsers, LocalDate issued,
			LocalDate expires, String request) {
	}

}
