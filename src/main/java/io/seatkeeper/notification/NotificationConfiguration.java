package io.seatkeeper.notification;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Switches on the schedules of this module: the outbox sender and the pool check.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class NotificationConfiguration {

}
