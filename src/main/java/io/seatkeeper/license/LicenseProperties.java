package io.seatkeeper.license;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Licence settings.
 *
 * @param initialMaxUsers the Primary pool's maximum ({@code Max_Users}) when the pools
 * are first created; read only then
 * @param initialMaxExtranetUsers the Extranet pool's maximum ({@code Max_extranet_users})
 * when the pools are first created; read only then
 */
@ConfigurationProperties("seatkeeper.license")
public record LicenseProperties(@DefaultValue("25") int initialMaxUsers,
		@DefaultValue("5") int initialMaxExtranetUsers) {

	public LicenseProperties {
		if (initialMaxUsers < 0 || initialMaxExtranetUsers < 0) {
			throw new IllegalArgumentException("seatkeeper.license.initial-* must not be negative");
		}
	}

}
