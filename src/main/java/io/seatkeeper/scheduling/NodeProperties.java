package io.seatkeeper.scheduling;

import java.lang.management.ManagementFactory;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * This node among several on one database.
 *
 * @param name the node's name, as the scheduled jobs' lock and last run record it; unset,
 * the JVM's {@code pid@hostname}
 */
@ConfigurationProperties("seatkeeper.node")
public record NodeProperties(String name) {

	public NodeProperties {
		if (name == null || name.isBlank()) {
			name = ManagementFactory.getRuntimeMXBean().getName();
		}
		else {
			name = name.strip();
		}
		if (name.length() > 255) {
			name = name.substring(0, 255);
		}
	}

}
