package io.seatkeeper.audit;

import java.time.Instant;

/**
 * Filters of the audit log; {@code null} means any.
 *
 * @param action one action, for example {@code PROFILE_BLOCKED}
 * @param actor who acted (lower case)
 * @param subject the username concerned (lower case)
 * @param from from this instant, inclusive
 * @param to up to this instant, exclusive
 * @param before only lines older than this id (paging)
 * @param size at most this many lines
 */
public record AuditQuery(String action, String actor, String subject, Instant from, Instant to, Long before, int size) {

	public AuditQuery {
		from = (from != null) ? from : Instant.EPOCH;
		to = (to != null) ? to : Instant.parse("9999-12-31T00:00:00Z");
		size = Math.max(1, Math.min(size, 100_000));
	}

}
