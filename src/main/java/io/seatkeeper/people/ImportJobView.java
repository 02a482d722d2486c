package io.seatkeeper.people;

import java.time.Instant;

/**
 * A CSV upload as pages and the API see it.
 *
 * @param id its id
 * @param fileName the uploaded file's name
 * @param createdBy who uploaded it
 * @param createdAt when
 * @param status {@code PREVIEWED}, {@code RUNNING}, {@code DONE}, {@code REFUSED} or
 * {@code FAILED}
 * @param mode the mode it was confirmed with, or {@code null} before
 * @param totalRows the data rows of the file
 * @param created profiles created
 * @param skipped rows skipped because the profile exists
 * @param refused rows refused for lack of a licence
 * @param invalid invalid rows
 * @param message why it was refused or failed, as a message code, or {@code null}
 * @param finishedAt when it finished
 */
public record ImportJobView(String id, String fileName, String createdBy, Instant createdAt, String status,
		ImportMode mode, int totalRows, int created, int skipped, int refused, int invalid, String message,
		Instant finishedAt) {

	/**
	 * Whether the upload waits for confirmation.
	 */
	public boolean previewed() {
		return "PREVIEWED".equals(this.status);
	}

	/**
	 * Whether the import is running now.
	 */
	public boolean running() {
		return "RUNNING".equals(this.status);
	}

	/**
	 * Whether the import has ended, one way or another.
	 */
	public boolean finished() {
		return !previewed() && !running();
	}

}
