package io.seatkeeper.system;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.seatkeeper.people.ImportProperties;

import org.springframework.context.MessageSource;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * Multipart bodies refused before any controller sees them. A file over the upload limit:
 * the console goes back to the upload form with the limit, the API answers 413. A body
 * that cannot be read (truncated, a boundary that never comes): a 400, as a problem on
 * the API and the error page on the console.
 */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class UploadLimits {

	private final ImportProperties properties;

	private final MessageSource messages;

	private final ApiProblems problems;

	UploadLimits(ImportProperties properties, MessageSource messages, ApiProblems problems) {
		this.properties = properties;
		this.messages = messages;
		this.problems = problems;
	}

	@ExceptionHandler(MultipartException.class)
	Object unreadable(MultipartException ex, HttpServletRequest request, HttpServletResponse response) {
		if (request.getRequestURI().startsWith(request.getContextPath() + "/api/")) {
			return ResponseEntity.badRequest().body(this.problems.malformedMultipart(ex));
		}
		response.setStatus(HttpStatus.BAD_REQUEST.value());
		return "error/400";
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
