package io.seatkeeper.people;

/**
 * What happens, or happened, to one row of a CSV upload.
 */
public enum ImportOutcome {

	/** Preview: a profile will be created. */
	CREATE,
	/** Report: the profile was created. */
	CREATED,
	/**
	 * A profile with this username exists already (ignoring case); the row is skipped.
	 */
	EXISTS,
	/** The row breaks a rule; it is skipped. */
	INVALID,
	/** Preview: no licence is free for this row. */
	NO_LICENSE,
	/** Report: no licence was free for this row; it was not imported. */
	REFUSED

}
