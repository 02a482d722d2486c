package io.seatkeeper.people;

import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates the built-in administrator ({@code admin}) at first start: every role, no
 * licence, never blocked nor deleted.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class BuiltInAdministrator implements ApplicationRunner {

	static final String USERNAME = "admin";

	private static final Logger logger = LoggerFactory.getLogger(BuiltInAdministrator.class);

	private final Profiles profiles;

	private final Areas areas;

	private final PasswordEncoder passwordEncoder;

	private final AdministratorProperties properties;

	private final TransactionTemplate transactions;

	private final ProfileLedger ledger;

	BuiltInAdministrator(Profiles profiles, Areas areas, PasswordEncoder passwordEncoder,
			AdministratorProperties properties, TransactionTemplate transactions, ProfileLedger ledger) {
		this.ledger = ledger;
		this.profiles = profiles;
		this.areas = areas;
		this.passwordEncoder = passwordEncoder;
		this.properties = properties;
		this.transactions = transactions;
	}

	@Override
	public void run(ApplicationArguments args) {
		String configured = this.properties.password();
		boolean generated = configured == null || configured.isBlank();
		String password = generated ? randomPassword() : configured;
		boolean created;
		try {
			created = Boolean.TRUE.equals(this.transactions.execute((status) -> {
				if (this.profiles.builtInExists()) {
					return false;
				}
				this.ledger.createBuiltIn(Profile.builtInAdministrator(USERNAME, this.areas.primary(),
						this.passwordEncoder.encode(password)));
				return true;
			}));
		}
		catch (DataIntegrityViolationException ex) {
			// Another node created it at the same moment.
			created = false;
		}
		if (created && generated) {
			logger.warn("""

					The built-in administrator '{}' was created with this generated password:

					    {}

					It is printed only this once. Set SEATKEEPER_ADMIN_PASSWORD before the first start to choose it.
					""", USERNAME, password);
		}
		else if (created) {
			logger.info("The built-in administrator '{}' was created with the password from SEATKEEPER_ADMIN_PASSWORD",
					USERNAME);
		}
	}

	private static String randomPassword() {
		byte[] bytes = new byte[18];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
