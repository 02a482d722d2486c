package io.seatkeeper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Seatkeeper: the user-licence manager of an intranet site.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SeatkeeperApplication {

	public static void main(String[] args) {
		SpringApplication.run(SeatkeeperApplication.class, args);
	}

}
