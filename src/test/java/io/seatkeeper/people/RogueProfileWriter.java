package io.seatkeeper.people;

import io.seatkeeper.license.LicenseService;
import io.seatkeeper.license.Pool;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A writer beside the ledger, as the architecture rules must refuse it: it is never
 * loaded into an application, only handed to {@code ProfileWriterRuleTests}.
 */
final class RogueProfileWriter {

	private RogueProfileWriter() {
	}

	static void activateBehindTheLedger(LicenseService licenses, Profiles profiles, Profile profile,
			JdbcTemplate jdbc) {
		licenses.acquire(Pool.PRIMARY, 1);
		profile.change(Standing.active());
		profiles.saveAndFlush(profile);
		jdbc.update("update profile set state = 'ACTIVE' where id = ?", 1L);
	}

}
