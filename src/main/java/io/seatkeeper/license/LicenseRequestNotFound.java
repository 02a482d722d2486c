package io.seatkeeper.license;

/**
 * No licence request has this id.
 */
public class LicenseRequestNotFound extends RuntimeException {

	public LicenseRequestNotFound(long id) {
		super("No licence request " + id);
	}

}
