package io.seatkeeper.license;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * No licence request has this id.
 */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class LicenseRequestNotFound extends RuntimeException {

	public LicenseRequestNotFound(long id) {
		super("No licence request " + id);
	}

}
