package io.seatkeeper.people;

import java.time.Instant;

/**
 * The one state machine of a profile: where it stands (active, awaiting a licence, or
 * blocked for a reason), how each change moves it, and what each change takes from or
 * gives back to its pool. The single-profile path (the {@link Profile} entity) and the
 * batch path (JDBC rows in {@link ProfileLedger}) change a profile only through it, so
 * the two cannot differ.
 *
 * @param state active or blocked
 * @param reason why it is blocked; {@code null} when active
 * @param blockedAt since when it is blocked; {@code null} when active
 * @param awaitingSince since when it awaits a licence, its place in the queue;
 * {@code null} unless awaiting
 */
record Standing(ProfileState state, BlockReason reason, Instant blockedAt, Instant awaitingSince) {

	Standing {
		if ((state == ProfileState.ACTIVE) != (reason == null)) {
			throw new IllegalArgumentException("An active profile has no block reason, a blocked one has one");
		}
	}

	/**
	 * Active: holds one licence of its pool.
	 */
	static Standing active() {
		return new Standing(ProfileState.ACTIVE, null, null, null);
	}

	/**
	 * A new profile that starts blocked for the reason (awaiting a licence, for
	 * instance).
	 */
	static Standing created(BlockReason reason, Instant now) {
		return (reason == null) ? active() : active().blocked(reason, now);
	}

	/**
	 * Blocked for the reason. A profile that was blocked keeps the moment it was first
	 * blocked; one that already awaited a licence keeps its place in the queue.
	 */
	Standing blocked(BlockReason reason, Instant now) {
		if (reason == null) {
			throw new IllegalArgumentException("A block needs a reason");
		}
		Instant since = (isActive() || this.blockedAt == null) ? now : this.blockedAt;
		Instant awaiting = null;
		if (reason == BlockReason.AWAITING_LICENSE) {
			awaiting = (this.reason == BlockReason.AWAITING_LICENSE && this.awaitingSince != null) ? this.awaitingSince
					: now;
		}
		return new Standing(ProfileState.BLOCKED, reason, since, awaiting);
	}

	/**
	 * Still awaiting a licence, with another place in the queue.
	 */
	Standing awaitingSince(Instant since) {
		if (!isAwaiting()) {
			throw new IllegalStateException("Only a profile awaiting a licence has a place in the queue");
		}
		return new Standing(this.state, this.reason, this.blockedAt, since);
	}

	/**
	 * Active again.
	 */
	Standing activated() {
		return active();
	}

	boolean isActive() {
		return this.state == ProfileState.ACTIVE;
	}

	boolean isAwaiting() {
		return this.reason == BlockReason.AWAITING_LICENSE;
	}

	/**
	 * What changing to {@code next} does to the pool: {@code 1} takes a licence,
	 * {@code -1} gives one back, {@code 0} leaves the pool as it is (within one pool).
	 */
	int licensesTo(Standing next) {
		return (next.isActive() ? 1 : 0) - (isActive() ? 1 : 0);
	}

}
