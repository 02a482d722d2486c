package io.seatkeeper.people;

import io.seatkeeper.license.Pool;

/**
 * The facts that the people module publishes, in the transaction of the change.
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

	/** A profile moved to another area. */
	public record ProfileMoved(long id, String username, String fromArea, String toArea, Pool fromPool, Pool toPool,
			ProfileState state, String actor) {
	}

	/** A profile was deleted, with all its data. */
	public record ProfileDeleted(long id, String username, String area, Pool pool, boolean freedLicense, String actor) {
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

}
