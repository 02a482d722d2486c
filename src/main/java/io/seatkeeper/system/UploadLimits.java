package io.seatkeeper.system;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import io.seatkeeper.people.ImportProperties;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/**
 * A file over the upload limit, refused before any controller sees it: the console goes
 * back to the upload form with the limit, the API answers 413.
 */
@ControllerAdvice
class UploadLimits {

	private final ImportProperties properties;

	private final MessageSource messages;

	UploadLimits(ImportProperties properties, MessageSource messages) {
		this.properties = properties;
		this.messages = messages;
	}

	@ExceptionHandler(MaxUploadSizeExceededException.class)
	Object tooLarge(HttpServletRequest request) {
		if (request.getRequestURI().startsWith(request.getContextPath() + "/api/")) {
			return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
				.body(ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE, this.messages.getMessage(
						"import.file.tooLarge", new Object[] { this.properties.maxFileSizeText() }, Locale.ENGLISH)));
		}
		return "redirect:/admin/people/import?tooLarge";
	}

}
