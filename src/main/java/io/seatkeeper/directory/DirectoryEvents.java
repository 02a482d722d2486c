package io.seatkeeper.directory;

/**
 * The facts that the directory module publishes.
 */
public final class DirectoryEvents {

	private DirectoryEvents() {
	}

	/**
	 * A sync run ended: done, failed, or stopped for a sysadmin's confirmation.
	 *
	 * @param runId the run's id
	 * @param state how it ended
	 * @param message the message code of why it failed or stopped, or {@code null}
	 * @param entriesRead the entries the directory returned
	 * @param createdActive new profiles made active
	 * @param createdAwaiting new profiles created awaiting a licence
	 * @param activated awaiting profiles made active
	 * @param updated profiles whose values changed
	 * @param blockedDisabled profiles blocked because the directory disabled them
	 * @param blockedRemoved profiles blocked because they left the scope
	 * @param unchanged profiles left as they were
	 * @param leftAwaiting directory profiles still awaiting a licence
	 * @param errors entries that could not be applied
	 * @param actor who started (or confirmed) the run
	 */
	public record DirectoryRunFinished(String runId, String state, String message, int entriesRead, int createdActive,
			int createdAwaiting, int activated, int updated, int blockedDisabled, int blockedRemoved, int unchanged,
			int leftAwaiting, int errors, String actor) {
	}

	/**
	 * An administrator deleted the profile of a directory account: later syncs skip the
	 * account until a sysadmin removes it from the list.
	 */
	public record DirectoryAccountExcluded(String directoryId, String username, String actor) {
	}

	/**
	 * A sysadmin removed an account from the exclusion list: the next sync creates its
	 * profile again, if it is in scope.
	 */
	public record DirectoryExclusionRemoved(String directoryId, String username, String actor) {
	}

}
