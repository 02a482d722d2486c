package io.seatkeeper.directory;

import java.time.Instant;
import java.util.List;

/**
 * A sync run and its report.
 *
 * @param id its id
 * @param state {@code RUNNING}, {@code DONE}, {@code FAILED} or
 * {@code NEEDS_CONFIRMATION}
 * @param phase {@code READING} or {@code APPLYING} while it runs
 * @param startedBy who started it ({@code schedule} for the schedule)
 * @param startedAt when it started
 * @param finishedAt when it finished, if it has
 * @param entriesRead the entries the directory returned
 * @param planned the changes it planned
 * @param applied the changes it applied so far
 * @param createdActive new profiles made active
 * @param createdAwaiting new profiles created awaiting a licence
 * @param activated awaiting profiles made active
 * @param updated profiles whose values changed
 * @param blockedDisabled profiles blocked because the directory disabled them
 * @param blockedRemoved profiles blocked because they left the scope
 * @param unchanged profiles the run left as they were
 * @param leftAwaiting directory profiles still awaiting a licence after the run
 * @param wouldBlock the blocks the run planned (what a confirmation allows)
 * @param managed the active and awaiting directory profiles before the run
 * @param excluded entries in scope it skipped: their profile was deleted by an
 * administrator (the exclusion list)
 * @param rehired profiles matched to accounts created again with a new stable id
 * @param moved profiles moved to another area (counted in {@code updated} too)
 * @param errorCount how many entries it could not apply
 * @param errors the entries it could not apply, with their DN (the first 200)
 * @param message why it failed or stopped, as text, if it did
 * @param code the stable code (and message key) of why it failed or stopped, if it did
 * @param detail what the text names (the host and port, the certificate's subject, the
 * base DN, ...), if anything
 * @param confirmedBy the sysadmin who confirmed it, if one did
 * @param mode {@code FULL} (every entry in scope read) or {@code DELTA} (only what
 * changed since the last successful run), once the run has chosen
 */
record DirectoryRunView(String id, String state, String phase, String startedBy, Instant startedAt, Instant finishedAt,
		int entriesRead, int planned, int applied, int createdActive, int createdAwaiting, int activated, int updated,
		int blockedDisabled, int blockedRemoved, int unchanged, int leftAwaiting, int wouldBlock, int managed,
		int excluded, int rehired, int moved, int errorCount, List<RunError> errors, String message, String code,
		String detail, String confirmedBy, String mode) {

	static final String RUNNING = "RUNNING";

	static final String DONE = "DONE";

	static final String FAILED = "FAILED";

	static final String NEEDS_CONFIRMATION = "NEEDS_CONFIRMATION";

	static final String FULL = "FULL";

	static final String DELTA = "DELTA";

	public boolean finished() {
		return !RUNNING.equals(this.state);
	}

	/**
	 * The arguments of the code's message: the cause's detail for a failure, the blocks
	 * and the managed profiles for a run that stopped.
	 */
	public Object[] arguments() {
		return arguments(this.code, this.detail, this.wouldBlock, this.managed);
	}

	static Object[] arguments(String code, String detail, int wouldBlock, int managed) {
		if (code != null && (code.startsWith("directory.failure.") || DirectoryFailure.UNREACHABLE.equals(code))) {
			return new Object[] { detail };
		}
		return new Object[] { wouldBlock, managed };
	}

	public int percent() {
		if (DONE.equals(this.state)) {
			return 100;
		}
		if (this.planned == 0) {
			return 0;
		}
		return (int) Math.min(99, this.applied * 100L / this.planned);
	}

	/**
	 * An entry the run could not apply.
	 *
	 * @param dn the entry's DN
	 * @param code the message code of the reason
	 * @param value the value at fault
	 */
	record RunError(String dn, String code, String value) {
	}

}
