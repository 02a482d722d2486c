package io.seatkeeper.people;

import java.util.List;

import io.seatkeeper.license.Pool;

/**
 * The facts that the people module publishes, in the transaction of the change. Every
 * path (one profile or a batch: add, CSV upload, directory sync, single sign-on)
 * publishes them from the one writer, {@link ProfileLedger}: the facts about profiles
 * ({@link ProfileCreated}, {@link ProfilesCreated}, {@link ProfileBlocked}, …) and, once
 * per pool and change, what the change did to the pool ({@link LicensesTaken},
 * {@link LicensesFreed}, {@link ProfilesQueued}).
 */
public final class ProfileEvents {

	private ProfileEvents() {
	}

	/** A profile was created. */
	public record ProfileCreated(long id, String username, String area, Pool pool, ProfileState state,
			BlockReason blockReason, ProfileSource source, String actor) {
	}

	/** A profile was blocked. */
	public record ProfileBlocked(long id, String username, String area, Pool pool, BlockReason reason,
			boolean freedLicense, String actor) {
	}

	/** A blocked profile was made active again. */
	public record ProfileReinstated(long id, String username, String area, Pool pool, String actor) {
	}

	/**
	 * A profile moved to another area; {@code state} and {@code blockReason} are where it
	 * stands after the move (a mover the target pool had no licence for awaits one).
	 */
	public record ProfileMoved(long id, String username, String fromArea, String toArea, Pool fromPool, Pool toPool,
			ProfileState state, BlockReason blockReason, String actor) {
	}

	/**
	 * Profiles were created in one batch (a CSV upload, a step of a directory sync).
	 *
	 * @param source how they arrived
	 * @param pools per pool, how many were created active and how many awaiting a licence
	 * @param actor who did it
	 */
	public record ProfilesCreated(ProfileSource source, List<Created> pools, String actor) {

		/**
		 * All the profiles created.
		 */
		public int total() {
			return this.pools.stream().mapToInt((pool) -> pool.active() + pool.awaiting()).sum();
		}

		/**
		 * The profiles of one pool created in the batch.
		 */
		public record Created(Pool pool, int active, int awaiting) {
		}

	}

	/** Profiles became active and took {@code count} licences of the pool. */
	public record LicensesTaken(Pool pool, int count, String actor) {
	}

	/**
	 * Profiles were blocked, deleted or moved out and gave {@code count} licences back.
	 */
	public record LicensesFreed(Pool pool, int count, String actor) {
	}

	/**
	 * A people administrator moved a profile awaiting a licence to the front of its
	 * pool's queue ({@link #PROMOTED}), or took it out of the queue ({@link #REMOVED}:
	 * blocked by an administrator).
	 */
	public record ProfileQueueChanged(long id, String username, Pool pool, String change, String actor) {

		public static final String PROMOTED = "PROMOTED";

		public static final String REMOVED = "REMOVED";

	}

	/**
	 * {@code count} profiles were created, or left, awaiting a licence of the pool: the
	 * pool had none free for them.
	 */
	public record ProfilesQueued(Pool pool, int count, String actor) {
	}

	/**
	 * A profile was deleted, with all its data; {@code directoryId} is the directory's
	 * stable id of its entry for a profile from the directory, else {@code null}.
	 */
	public record ProfileDeleted(long id, String username, String area, Pool pool, boolean freedLicense, String actor,
			String directoryId) {
	}

	/**
	 * A SCIM client changed a profile's attributes (not where it stands: that is a block,
	 * a reinstatement or a move); {@code attributes} names those that changed.
	 */
	public record ProfileAttributesChanged(long id, String username, String attributes, String actor) {
	}

	/**
	 * A SCIM client deleted a user whose profile is kept, blocked (or deleted it: then
	 * {@link ProfileDeleted}).
	 */
	public record ProfileDeprovisioned(long id, String username, String actor) {
	}

	/**
	 * A directory account that came back with a new stable id (deleted and created again:
	 * a rehire) was matched to the profile the directory had removed, by {@code by}
	 * ({@code username} or {@code email}); the profile now follows the new id.
	 */
	public record DirectoryAccountRematched(long id, String username, String oldDirectoryId, String newDirectoryId,
			String by, String actor) {
	}

	/**
	 * A profile's e-mail address or names changed; {@code before} and {@code after} hold
	 * all three, at least one of them different.
	 */
	public record ProfileDetailsChanged(long id, String username, Details before, Details after, String actor) {

		/**
		 * A profile's e-mail address and names.
		 */
		public record Details(String email, String firstName, String lastName) {
		}

	}

	/** A profile's roles changed. */
	public record ProfileRolesChanged(long id, String username, boolean sysadmin, boolean peopleAdmin, String actor) {
	}

	/** People were exported to CSV. */
	public record ProfilesExported(String columns, String area, String state, long rows, String channel, String actor) {
	}

	/** A CSV upload was imported, wholly or in part. */
	public record ProfilesImported(String jobId, String fileName, ImportMode mode, int created, int skipped,
			int refused, int invalid, String actor) {
	}

	/** A CSV upload was refused whole: the pools could not take all its new rows. */
	public record ImportRefused(String jobId, String fileName, String needs, String actor) {
	}

	/** An Extranet area was created. */
	public record AreaCreated(long id, String name, String actor) {
	}

	/** An Extranet area was renamed. */
	public record AreaRenamed(long id, String oldName, String newName, String actor) {
	}

	/** An empty Extranet area was deleted. */
	public record AreaDeleted(long id, String name, String actor) {
	}

	/** A people administrator marked a profile "never reclaim", or took the mark off. */
	public record ReclaimExemptionChanged(long id, String username, boolean neverReclaim, String actor) {
	}

	/**
	 * A reclaim run would block more of a pool's active profiles than its share allows:
	 * it blocked nobody and waits for a sysadmin's confirmation.
	 *
	 * @param runId the run
	 * @param candidatesPrimary dormant profiles of the Primary pool it would block
	 * @param candidatesExtranet dormant profiles of the Extranet pool it would block
	 * @param allowedPrimary the most it may block in the Primary pool unconfirmed
	 * @param allowedExtranet the most it may block in the Extranet pool unconfirmed
	 */
	public record ReclaimRunHeld(long runId, int candidatesPrimary, int candidatesExtranet, int allowedPrimary,
			int allowedExtranet, String actor) {
	}

	/**
	 * A reclaim run blocked dormant profiles (each one a {@link ProfileBlocked} with the
	 * reason {@link BlockReason#DORMANT} too).
	 *
	 * @param runId the run
	 * @param primary profiles of the Primary pool it blocked, and licences it freed
	 * @param extranet profiles of the Extranet pool it blocked, and licences it freed
	 * @param confirmedBy the sysadmin who confirmed a held run, or {@code null}
	 */
	public record ProfilesReclaimed(long runId, int primary, int extranet, String confirmedBy, String actor) {
	}

}
