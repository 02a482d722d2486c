package io.seatkeeper.people;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.scheduling.support.CronExpression;

/**
 * The reclaim job (R19): off unless {@code block-after} is set.
 *
 * @param blockAfter how long without a sign-in (or, for a profile that never signed in,
 * since it was created) before the job blocks an active profile with the reason
 * {@code DORMANT}, for example {@code 90d}; unset switches the job off; at least one day
 * @param maxShare the largest share of a pool's active profiles, in per cent (0 to 100),
 * that one run blocks without a sysadmin's confirmation; a run that would block more is
 * held, blocking nobody, until a sysadmin confirms it on the reclaim page
 * @param cron when the job runs (a Spring cron expression, six fields, in the server's
 * time zone); it runs at most once per day across all nodes
 */
@ConfigurationProperties("seatkeeper.reclaim")
public record ReclaimProperties(Duration blockAfter, @DefaultValue("10") int maxShare,
		@DefaultValue("0 30 3 * * *") String cron) {

	public ReclaimProperties {
		if (blockAfter != null && blockAfter.compareTo(Duration.ofDays(1)) < 0) {
			throw new IllegalArgumentException(
					"seatkeeper.reclaim.block-after must be at least one day (for example 90d), or unset: "
							+ blockAfter);
		}
		if (maxShare < 0 || maxShare > 100) {
			throw new IllegalArgumentException(
					"seatkeeper.reclaim.max-share is a percentage from 0 to 100: " + maxShare);
		}
		if (cron == null || !CronExpression.isValidExpression(cron.strip())) {
			throw new IllegalArgumentException(
					"seatkeeper.reclaim.cron is not a cron expression (six fields, for example 0 30 3 * * *): " + cron);
		}
		cron = cron.strip();
	}

	/**
	 * Whether the job runs at all.
	 */
	public boolean enabled() {
		return this.blockAfter != null;
	}

	/**
	 * The whole days of {@code block-after}, rounded down; {@code 0} when the job is off.
	 */
	public long blockAfterDays() {
		return (this.blockAfter != null) ? this.blockAfter.toDays() : 0;
	}

	/**
	 * The most profiles one run blocks without confirmation in a pool of that many active
	 * profiles.
	 */
	public int allowed(long active) {
		return (int) (active * this.maxShare / 100);
	}

}
