package io.seatkeeper.license;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/license}: each pool's figures, for automation.
 */
@RestController
@RequestMapping("/api/v1/license")
class LicenseApiController {

	private final LicenseService licenses;

	LicenseApiController(LicenseService licenses) {
		this.licenses = licenses;
	}

	@GetMapping
	Pools showLicense() {
		return new Pools(this.licenses.usage()
			.stream()
			.map((usage) -> new PoolFigures(usage.pool().name(), usage.max(), usage.active(), usage.available(),
					usage.awaiting()))
			.toList());
	}

	record Pools(List<PoolFigures> pools) {
	}

	record PoolFigures(String pool, int max, int active, int available, long awaiting) {
	}

}
