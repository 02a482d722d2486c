package io.seatkeeper.license;

/**
 * An operation was refused because a pool had no licence free.
 *
 * @param pool the pool that was full
 * @param max its maximum
 * @param active its active count at the moment of the refusal
 * @param requested how many licences the operation needed
 * @param operation what was attempted, for example {@code create} or {@code reinstate}
 * @param subject the username concerned, if one
 * @param actor who attempted it
 */
public record LicenseLimitReached(Pool pool, int max, int active, int requested, String operation, String subject,
		String actor) {
}
