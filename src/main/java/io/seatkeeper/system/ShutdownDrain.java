package io.seatkeeper.system;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The first step of a node's shutdown: Spring Boot has just set the readiness state to
 * refusing traffic ({@code /actuator/health/readiness} answers {@code OUT_OF_SERVICE});
 * the node goes on serving for {@code seatkeeper.shutdown.drain-delay}, so that a load
 * balancer polling readiness sees it and sends the next requests elsewhere, before the
 * web server stops taking connections and lets the requests under way finish
 * ({@code server.shutdown=graceful}).
 */
@Component
class ShutdownDrain {

	private static final Logger logger = LoggerFactory.getLogger(ShutdownDrain.class);

	private final ApplicationContext context;

	private final ApplicationAvailability availability;

	private final ShutdownProperties properties;

	ShutdownDrain(ApplicationContext context, ApplicationAvailability availability, ShutdownProperties properties) {
		this.context = context;
		this.availability = availability;
		this.properties = properties;
	}

	@EventListener
	void on(ContextClosedEvent event) {
		if (event.getApplicationContext() != this.context || this.properties.drainDelay().isZero()) {
			return;
		}
		logger.info("Stopping: readiness is {}; still serving for {} so that the load balancer sees it",
				this.availability.getReadinessState(), this.properties.drainDelay());
		try {
			Thread.sleep(this.properties.drainDelay().toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * How a node stops.
	 *
	 * @param drainDelay how long a node told to stop goes on serving while its readiness
	 * says {@code OUT_OF_SERVICE}, before it stops taking connections: a little more than
	 * the load balancer's health check interval (0: stop taking connections at once)
	 */
	@ConfigurationProperties("seatkeeper.shutdown")
	record ShutdownProperties(@DefaultValue("0s") Duration drainDelay) {

		ShutdownProperties {
			if (drainDelay.isNegative()) {
				throw new IllegalArgumentException("seatkeeper.shutdown.drain-delay must not be negative");
			}
		}

	}

}
