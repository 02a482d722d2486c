package io.seatkeeper.directory;

import io.seatkeeper.people.AreaService;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The {@code demo} profile's Extranet area, which its directory's Partners OU maps to.
 */
@Component
@Profile("demo")
class DemoDirectory implements ApplicationRunner {

	static final String PARTNERS = "Partners";

	private final AreaService areas;

	DemoDirectory(AreaService areas) {
		this.areas = areas;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (this.areas.findByName(PARTNERS).isEmpty()) {
			this.areas.createExtranet(PARTNERS, "demo");
		}
	}

}
