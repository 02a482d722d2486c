package io.seatkeeper;

import java.util.Arrays;

import io.seatkeeper.license.LicenseCli;

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
		if (LicenseCli.wanted(args)) {
			System.exit(LicenseCli.run(Arrays.asList(args).subList(1, args.length), System.out, System.err));
		}
		SpringApplication.run(SeatkeeperApplication.class, args);
	}

}
