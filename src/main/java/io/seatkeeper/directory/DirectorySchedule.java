package io.seatkeeper.directory;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TriggerContext;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.scheduling.support.CronExpression;

/**
 * Runs the sync on the schedule of the settings (default hourly), read again before each
 * run so that a change on the settings page needs no restart: a delta when it can be
 * trusted, else full. A full sync runs on its own schedule too
 * ({@code seatkeeper.directory.full-sync-cron}, default nightly), which finds deleted
 * accounts. {@code -} switches a schedule off. A run due while another is going on (on
 * any node) is skipped.
 */
@Configuration(proxyBeanMethods = false)
class DirectorySchedule implements SchedulingConfigurer {

	private static final Logger logger = LoggerFactory.getLogger(DirectorySchedule.class);

	/** How often a schedule that is off or unreadable is looked at again. */
	private static final Duration RECHECK = Duration.ofMinutes(5);

	private final DirectorySync sync;

	private final DirectorySettingsStore settings;

	private final DirectoryProperties properties;

	private volatile boolean due;

	DirectorySchedule(DirectorySync sync, DirectorySettingsStore settings, DirectoryProperties properties) {
		this.sync = sync;
		this.settings = settings;
		this.properties = properties;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addTriggerTask(this::run, this::next);
		String full = this.properties.fullSyncCron();
		if (full != null && !"-".equals(full.strip())) {
			if (CronExpression.isValidExpression(full.strip())) {
				registrar.addCronTask(this::runFull, full.strip());
			}
			else {
				logger.warn("seatkeeper.directory.full-sync-cron is not a cron expression: {}", full);
			}
		}
	}

	private void runFull() {
		try {
			if (this.settings.current().configured() && this.sync.start("schedule", DirectoryRunView.FULL).isEmpty()) {
				logger.info("Scheduled full directory sync skipped: a run is going on");
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Scheduled full directory sync could not start: {}", ex.getMessage());
		}
	}

	private void run() {
		if (!this.due) {
			return;
		}
		try {
			if (this.settings.current().configured() && this.sync.start("schedule").isEmpty()) {
				logger.info("Scheduled directory sync skipped: a run is going on");
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Scheduled directory sync could not start: {}", ex.getMessage());
		}
	}

	private Instant next(TriggerContext context) {
		Instant now = Instant.now();
		try {
			String cron = this.settings.current().cron();
			if (cron != null && !"-".equals(cron.strip()) && CronExpression.isValidExpression(cron.strip())) {
				Instant next = CronExpression.parse(cron.strip()).next(java.time.ZonedDateTime.now()).toInstant();
				if (next != null) {
					this.due = true;
					return next;
				}
			}
		}
		catch (RuntimeException ex) {
			// The settings cannot be read yet (first start): look again later.
		}
		this.due = false;
		return now.plus(RECHECK);
	}

}
