package io.seatkeeper.people.importing;

import java.util.List;

import io.seatkeeper.license.Pool;
import io.seatkeeper.people.ImportOutcome;

/**
 * One data row of a CSV upload, with its outcome.
 *
 * @param line the line of the file it starts on (the header is line 1)
 * @param username the username as written
 * @param email the e-mail address as written
 * @param firstName the first name
 * @param lastName the last name
 * @param areaName the area as written (blank for the Primary Area)
 * @param areaId the area it names, when it names one that exists
 * @param pool that area's pool
 * @param outcome what happens or happened to it
 * @param reason the message code of why it is invalid or refused, or {@code null}
 * @param reasonArguments the message's arguments
 */
public record ImportRow(int line, String username, String email, String firstName, String lastName, String areaName,
		Long areaId, Pool pool, ImportOutcome outcome, String reason, List<Object> reasonArguments) {

	/**
	 * The same row with another outcome and reason.
	 */
	public ImportRow with(ImportOutcome outcome, String reason, Object... arguments) {
		return new ImportRow(this.line, this.username, this.email, this.firstName, this.lastName, this.areaName,
				this.areaId, this.pool, outcome, reason, List.of(arguments));
	}

	/**
	 * The arguments as an array, for message formatting.
	 */
	public Object[] arguments() {
		return (this.reasonArguments != null) ? this.reasonArguments.toArray() : new Object[0];
	}

}
