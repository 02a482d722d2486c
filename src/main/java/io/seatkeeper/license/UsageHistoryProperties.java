package io.seatkeeper.license;

import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Usage history settings (R10).
 *
 * @param snapshotInterval how often each node refreshes the day's snapshot of every pool
 * (max, active, awaiting); the peak is tracked by the gate as it happens
 * @param keep how long daily rows are kept; at least two years
 * @param zone the time zone whose calendar days the history counts in
 */
@ConfigurationProperties("seatkeeper.usage")
public record UsageHistoryProperties(@DefaultValue("1h") Duration snapshotInterval, @DefaultValue("2y") Period keep,
		@DefaultValue("UTC") ZoneId zone) {

	public UsageHistoryProperties {
		if (snapshotInterval.isNegative() || snapshotInterval.isZero()) {
			throw new IllegalArgumentException("seatkeeper.usage.snapshot-interval must be positive");
		}
		if (keep.toTotalMonths() < 24) {
			throw new IllegalArgumentException("seatkeeper.usage.keep must be at least two years (2y), not " + keep);
		}
	}

}
