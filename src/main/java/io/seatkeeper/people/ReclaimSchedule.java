package io.seatkeeper.people;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Starts the reclaim job on {@code seatkeeper.reclaim.cron} (default 03:30 each day) when
 * {@code seatkeeper.reclaim.block-after} is set; every node schedules it, and the day's
 * row lets one run ({@link ReclaimRuns}).
 */
@Configuration(proxyBeanMethods = false)
class ReclaimSchedule implements SchedulingConfigurer {

	private static final Logger logger = LoggerFactory.getLogger(ReclaimSchedule.class);

	private final ReclaimRuns runs;

	private final ReclaimProperties properties;

	ReclaimSchedule(ReclaimRuns runs, ReclaimProperties properties) {
		this.runs = runs;
		this.properties = properties;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		if (!this.properties.enabled()) {
			return;
		}
		registrar.addCronTask(this::run, this.properties.cron());
	}

	private void run() {
		try {
			this.runs.runToday("schedule");
		}
		catch (RuntimeException ex) {
			logger.warn("The reclaim run could not start: {}", ex.getMessage());
		}
	}

}
