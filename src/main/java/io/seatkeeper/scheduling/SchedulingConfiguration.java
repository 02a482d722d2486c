package io.seatkeeper.scheduling;

import javax.sql.DataSource;

import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * ShedLock's lock rows in the {@code shedlock} table (Flyway, V24_1), taken and released
 * by conditional updates against the database's clock, so that the nodes' clocks need not
 * agree.
 */
@Configuration(proxyBeanMethods = false)
class SchedulingConfiguration {

	@Bean
	LockingTaskExecutor scheduledJobLocks(DataSource dataSource, NodeProperties node) {
		JdbcTemplateLockProvider provider = new JdbcTemplateLockProvider(
				JdbcTemplateLockProvider.Configuration.builder()
					.withJdbcTemplate(new JdbcTemplate(dataSource))
					.withTableName("shedlock")
					.withLockedByValue(node.name())
					.usingDbTime()
					.build());
		return new DefaultLockingTaskExecutor(provider);
	}

}
