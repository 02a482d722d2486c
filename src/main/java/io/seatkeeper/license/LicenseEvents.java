package io.seatkeeper.license;

import java.time.LocalDate;

/**
 * What happened to the site's licence, for the audit log and the notifications.
 */
public final class LicenseEvents {

	private LicenseEvents() {
	}

	/**
	 * A licence key was applied: each pool's maximum before and after.
	 */
	public record LicenseKeyApplied(long serial, String licensee, int oldMaxUsers, int newMaxUsers,
			int oldMaxExtranetUsers, int newMaxExtranetUsers, LocalDate expires, String request, String actor) {
	}

	/**
	 * A licence key was refused; nothing changed.
	 */
	public record LicenseKeyRejected(Long serial, String reason, String detail, String actor) {
	}

	/**
	 * A licence request was filed. The notification module mails it to the vendor.
	 *
	 * @param id the request's id
	 * @param reference how the vendor names it in the key that answers it
	 * @param kind {@code ADD} or {@code MOVE}
	 * @param from the pool the licences are moved from, for a move
	 * @param to the pool that gets the licences
	 * @param amount how many
	 * @param comment the sysadmin's comment, or {@code null}
	 * @param licensee the site's licensee, or {@code null} on the evaluation licence
	 * @param maxUsers {@code Max_Users} now
	 * @param activeUsers active profiles of the Primary pool now
	 * @param maxExtranetUsers {@code Max_extranet_users} now
	 * @param activeExtranet active profiles of the Extranet pool now
	 * @param vendorEmail where the mail goes, or {@code null} when none is configured
	 * @param actor who filed it
	 */
	public record LicenseRequestFiled(long id, String reference, String kind, Pool from, Pool to, int amount,
			String comment, String licensee, int maxUsers, int activeUsers, int maxExtranetUsers, int activeExtranet,
			String vendorEmail, String actor) {
	}

	/**
	 * A licence request was withdrawn.
	 */
	public record LicenseRequestWithdrawn(long id, String reference, String actor) {
	}

	/**
	 * The current key expires soon; published once per key.
	 */
	public record LicenseExpiring(long serial, String licensee, LocalDate expires, long daysLeft) {
	}

}
