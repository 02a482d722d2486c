package io.seatkeeper.license;

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
 * Creates the pools on a fresh database, with the configured initial maxima. A pool that
 * exists is never touched: the properties are read only the first time.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class LicensePoolInitializer implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(LicensePoolInitializer.class);

	private final LicensePools pools;

	private final LicenseProperties properties;

	private final TransactionTemplate transactions;

	LicensePoolInitializer(LicensePools pools, LicenseProperties properties, TransactionTemplate transactions) {
		this.pools = pools;
		this.properties = properties;
		this.transactions = transactions;
	}

	@Override
	public void run(ApplicationArguments args) {
		create(Pool.PRIMARY, this.properties.initialMaxUsers());
		create(Pool.EXTRANET, this.properties.initialMaxExtranetUsers());
	}

	private void create(Pool pool, int max) {
		try {
			this.transactions.executeWithoutResult((status) -> {
				if (this.pools.findById(pool).isEmpty()) {
					this.pools.save(new LicensePool(pool, max));
					logger.info("Created the {} pool with {} = {}", pool, pool.label(), max);
				}
			});
		}
		catch (DataIntegrityViolationException ex) {
			// Another node created it at the same moment: its row stands.
			logger.debug("The {} pool was created by another node", pool);
		}
	}

}
