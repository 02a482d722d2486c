package io.seatkeeper.directory;

import java.time.Instant;

/**
 * The outcome of the latest directory sync run, as the system summary shows it.
 *
 * @param runId the run's id, for the link to its report
 * @param state {@code RUNNING}, {@code DONE}, {@code FAILED} or
 * {@code NEEDS_CONFIRMATION}
 * @param startedAt when it started
 * @param finishedAt when it finished, if it has
 * @param createdActive new profiles made active
 * @param createdAwaiting new profiles created awaiting a licence
 * @param activated awaiting profiles made active
 * @param updated profiles whose values changed
 * @param blocked profiles blocked (disabled in the directory or gone from the scope)
 * @param errors entries it could not apply
 */
public record LastDirectorySync(String runId, String state, Instant startedAt, Instant finishedAt, int createdActive,
		int createdAwaiting, int activated, int updated, int blocked, int errors) {

	/**
	 * Whether the run still runs.
	 */
	public boolean running() {
		return DirectoryRunView.RUNNING.equals(this.state);
	}

	/**
	 * When it finished, or when it started while it runs.
	 */
	public Instant when() {
		return (this.finishedAt != null) ? this.finishedAt : this.startedAt;
	}

	static LastDirectorySync of(DirectoryRunView run) {
		return new LastDirectorySync(run.id(), run.state(), run.startedAt(), run.finishedAt(), run.createdActive(),
				run.createdAwaiting(), run.activated(), run.updated(), run.blockedDisabled() + run.blockedRemoved(),
				run.errorCount());
	}

}
