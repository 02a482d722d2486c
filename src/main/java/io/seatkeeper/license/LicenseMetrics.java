package io.seatkeeper.license;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * Gauges per pool, read from the same rows as the gate: {@code seatkeeper_license_max},
 * {@code seatkeeper_license_active}, {@code seatkeeper_license_available} and
 * {@code seatkeeper_license_awaiting}.
 */
@Component
class LicenseMetrics implements MeterBinder {

	private final LicenseService licenses;

	private final UsageForecast forecasts;

	LicenseMetrics(LicenseService licenses, UsageForecast forecasts) {
		this.licenses = licenses;
		this.forecasts = forecasts;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (Pool pool : Pool.values()) {
			String tag = pool.name();
			Gauge.builder("seatkeeper.license.max", this, (m) -> m.read(pool).max())
				.description("The pool's maximum number of active profiles")
				.tag("pool", tag)
				.register(registry);
			Gauge.builder("seatkeeper.license.active", this, (m) -> m.read(pool).active())
				.description("Active profiles holding one of the pool's licences")
				.tag("pool", tag)
				.register(registry);
			Gauge.builder("seatkeeper.license.available", this, (m) -> m.read(pool).available())
				.description("Licences free in the pool")
				.tag("pool", tag)
				.register(registry);
			Gauge.builder("seatkeeper.license.awaiting", this, (m) -> m.read(pool).awaiting())
				.description("Blocked profiles awaiting one of the pool's licences")
				.tag("pool", tag)
				.register(registry);
			Gauge.builder("seatkeeper.license.days.until.full", this, (m) -> m.daysUntilFull(pool))
				.description("Days until the pool is full at the last 90 days' rate; NaN unless its trend is rising")
				.tag("pool", tag)
				.register(registry);
		}
	}

	private double daysUntilFull(Pool pool) {
		try {
			Long days = this.forecasts.forecast(pool).daysUntilFull();
			return (days != null) ? days : Double.NaN;
		}
		catch (RuntimeException ex) {
			return Double.NaN;
		}
	}

	private PoolUsage read(Pool pool) {
		try {
			return this.licenses.usage(pool);
		}
		catch (RuntimeException ex) {
			return new PoolUsage(pool, 0, 0, 0, 0);
		}
	}

}
