package io.seatkeeper.notification;

import java.util.Map;

import io.seatkeeper.license.Pool;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The optional early warning, per pool.
 *
 * @param earlyWarning per pool ({@code primary}, {@code extranet}), the percentage of its
 * licences in use at which the responsible person is warned, once per episode; a pool
 * without one is never warned early (the default)
 */
@ConfigurationProperties("seatkeeper.notification")
public record EarlyWarningProperties(Map<Pool, Integer> earlyWarning) {

	public EarlyWarningProperties {
		earlyWarning = (earlyWarning != null) ? Map.copyOf(earlyWarning) : Map.of();
		earlyWarning.forEach((pool, percent) -> {
			if (percent < 1 || percent > 100) {
				throw new IllegalArgumentException("seatkeeper.notification.early-warning." + pool.name().toLowerCase()
						+ " must be between 1 and 100");
			}
		});
	}

	/**
	 * The threshold of the pool, in percent, or {@code null} when it has none.
	 */
	Integer threshold(Pool pool) {
		return this.earlyWarning.get(pool);
	}

}
