package io.seatkeeper.license;

import java.util.List;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Proves the gate's counters against the profile rows: {@code DOWN} names every pool
 * whose counter differs from the count of its active profiles.
 */
@Component("licenseCounts")
class LicenseCountsHealthIndicator implements HealthIndicator {

	private final LicenseService licenses;

	LicenseCountsHealthIndicator(LicenseService licenses) {
		this.licenses = licenses;
	}

	@Override
	public Health health() {
		List<String> mismatches = this.licenses.countMismatches();
		if (mismatches.isEmpty()) {
			return Health.up().build();
		}
		return Health.down().withDetail("mismatches", mismatches).build();
	}

}
