package io.seatkeeper.sso;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the log about the values of a mapped claim (the area or the role claim) that map
 * to no area and no role, once per provider, claim and value, with the values the claim
 * had: enough to write the mapping, or to find its typo, without a line at every sign-in.
 */
final class SsoUnmappedValues {

	/**
	 * How many values are remembered, so that a provider's endless values cannot fill the
	 * memory.
	 */
	static final int REMEMBERED = 10_000;

	private static final Logger logger = LoggerFactory.getLogger(SsoUnmappedValues.class);

	private final Set<String> reported = ConcurrentHashMap.newKeySet();

	/**
	 * Logs the values of the claims that map to nothing and were not logged before.
	 */
	void report(SsoMapping mapping, Map<String, Object> claims) {
		mapping.unmapped(claims).forEach((claim, unmapped) -> {
			List<String> fresh = new ArrayList<>();
			for (String value : unmapped.values()) {
				if (remember(mapping.registrationId() + '\n' + claim + '\n' + SsoMapping.normalize(value))) {
					fresh.add(value);
				}
			}
			if (!fresh.isEmpty()) {
				logger.info(
						"Single sign-on through {}: the {} {} of the claim '{}' map{} to no area and no role (see seatkeeper.sso.areas.*, seatkeeper.sso.roles.* and seatkeeper.sso.providers.{}.*); the claim's values were {}",
						mapping.registrationId(), (fresh.size() == 1) ? "value" : "values", fresh, claim,
						(fresh.size() == 1) ? "s" : "", mapping.registrationId(), unmapped.seen());
			}
		});
	}

	private boolean remember(String key) {
		if (this.reported.contains(key)) {
			return false;
		}
		if (this.reported.size() >= REMEMBERED) {
			if (this.reported.add("")) {
				logger.info("Single sign-on: more than {} claim values map to nothing; no more are logged", REMEMBERED);
			}
			return false;
		}
		return this.reported.add(key);
	}

}
