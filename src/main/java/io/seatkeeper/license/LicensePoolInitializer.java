package io.seatkeeper.license;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates the pools on a fresh database with the evaluation licence, then applies the key
 * of {@code seatkeeper.license.key}, if one is set. A pool that exists is never touched
 * here: only a licence key changes a maximum.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class LicensePoolInitializer implements ApplicationRunner {

	/** The evaluation licence's {@code Max_Users}. */
	static final int EVALUATION_MAX_USERS = 25;

	/** The evaluation licence's {@code Max_extranet_users}. */
	static final int EVALUATION_MAX_EXTRANET_USERS = 5;

	private static final Logger logger = LoggerFactory.getLogger(LicensePoolInitializer.class);

	private final LicensePools pools;

	private final LicenseProperties properties;

	private final LicenseKeys keys;

	private final TransactionTemplate transactions;

	LicensePoolInitializer(LicensePools pools, LicenseProperties properties, LicenseKeys keys,
			TransactionTemplate transactions) {
		this.pools = pools;
		this.properties = properties;
		this.keys = keys;
		this.transactions = transactions;
	}

	@Override
	public void run(ApplicationArguments args) {
		create(Pool.PRIMARY, EVALUATION_MAX_USERS);
		create(Pool.EXTRANET, EVALUATION_MAX_EXTRANET_USERS);
		if (this.properties.hasKey()) {
			applyAtStart(this.properties.key());
		}
	}

	/**
	 * Applies the configured key like a pasted one. A key already applied (the same
	 * serial) or an older one is left alone, so that every start with the same setting is
	 * the same; a key that cannot be applied is logged and audited, and the site starts
	 * with the licence it has.
	 */
	void applyAtStart(String token) {
		try {
			LicenseKey key = this.keys.read(token);
			Optional<LicenseKey> current = this.keys.current();
			if (current.isPresent() && key.serial() <= current.get().serial()) {
				logger.info("The licence key of seatkeeper.license.key (serial {}) is not newer than the one in force "
						+ "(serial {}): left alone", key.serial(), current.get().serial());
				return;
			}
			this.keys.apply(token, "system");
			logger.info("Applied the licence key of seatkeeper.license.key: serial {}, {} = {}, {} = {}", key.serial(),
					Pool.PRIMARY.label(), key.maxUsers(), Pool.EXTRANET.label(), key.maxExtranetUsers());
		}
		catch (LicenseKeyRefused refusal) {
			logger.error("The licence key of seatkeeper.license.key was refused: {}", refusal.getMessage());
			this.keys.recordRefusal(refusal, token, "system");
		}
	}

	private void create(Pool pool, int max) {
		try {
			this.transactions.executeWithoutResult((status) -> {
				if (this.pools.findById(pool).isEmpty()) {
					this.pools.save(new LicensePool(pool, max));
					logger.info("Created the {} pool with the evaluation licence: {} = {}", pool, pool.label(), max);
				}
			});
		}
		catch (DataIntegrityViolationException ex) {
			// Another node created it at the same moment: its row stands.
			logger.debug("The {} pool was created by another node", pool);
		}
	}

}
