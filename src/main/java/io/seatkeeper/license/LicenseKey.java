package io.seatkeeper.license;

import java.time.LocalDate;

/**
 * What a licence key signed by the vendor says.
 *
 * @param serial the key's serial: a later key has a higher one
 * @param licensee the site's owner, as the vendor names it
 * @param maxUsers {@code Max_Users}, the Primary pool's maximum
 * @param maxExtranetUsers {@code Max_extranet_users}, the Extranet pool's maximum
 * @param issued the day the vendor signed it
 * @param expires the last day it is valid, or {@code null} when it never expires
 * @param request the reference of the licence request it answers, or {@code null}
 */
public record LicenseKey(long serial, String licensee, int maxUsers, int maxExtranetUsers, LocalDate issued,
		LocalDate expires, String request) {

	/**
	 * Whether the key is past its last valid day on {@code today}.
	 */
	public boolean expiredOn(LocalDate today) {
		return this.expires != null && today.isAfter(this.expires);
	}

	/**
	 * The maximum the key gives a pool.
	 */
	public int max(Pool pool) {
		return (pool == Pool.PRIMARY) ? this.maxUsers : this.maxExtranetUsers;
	}

}
