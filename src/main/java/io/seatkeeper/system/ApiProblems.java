package io.seatkeeper.system;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.seatkeeper.directory.DirectoryRunNotFound;
import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.people.AreaNotFound;
import io.seatkeeper.people.PeopleRefusal;
import io.seatkeeper.people.ProfileChangedMeanwhile;
import io.seatkeeper.people.ProfileNotFound;
import tools.jackson.core.JacksonException;

import org.springframework.context.MessageSource;
import org.springframework.core.Ordered;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The API's answers to refusals and bad input, as RFC 9457 problem details: 400 with the
 * field errors, 404 for a missing record, 409 naming the pool when it is full.
 */
@RestControllerAdvice(annotations = RestController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiProblems extends ResponseEntityExceptionHandler {

	private final MessageSource messages;

	ApiProblems(MessageSource messages) {
		this.messages = messages;
	}

	@ExceptionHandler(LicenseLimitExceeded.class)
	ProblemDetail licenseLimitExceeded(LicenseLimitExceeded refusal) {
		if (refusal.expired()) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
					this.messages.getMessage("license.expired",
							new Object[] { refusal.expiredOn().toString(),
									this.messages.getMessage("pool." + refusal.pool().name(), null, Locale.ENGLISH) },
							Locale.ENGLISH));
			problem.setType(URI.create("urn:seatkeeper:problem:license-expired"));
			problem.setTitle("The licence expired");
			problem.setProperty("pool", refusal.pool().name());
			problem.setProperty("expired", refusal.expiredOn().toString());
			return problem;
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				this.messages.getMessage("license.full",
						new Object[] { this.messages.getMessage("pool." + refusal.pool().name(), null, Locale.ENGLISH),
								refusal.pool().label(), refusal.max(), refusal.active() },
						Locale.ENGLISH));
		problem.setType(URI.create("urn:seatkeeper:problem:license-limit-exceeded"));
		problem.setTitle("No licence is free");
		problem.setProperty("pool", refusal.pool().name());
		problem.setProperty("max", refusal.max());
		problem.setProperty("active", refusal.active());
		problem.setProperty("available", refusal.available());
		return problem;
	}

	/**
	 * A lock that could not be had in time: 503 with {@code Retry-After}, nothing
	 * changed.
	 */
	@ExceptionHandler(PessimisticLockingFailureException.class)
	ResponseEntity<ProblemDetail> busy(PessimisticLockingFailureException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				this.messages.getMessage("error.busy", null, Locale.ENGLISH));
		problem.setType(URI.create("urn:seatkeeper:problem:busy"));
		problem.setTitle("Busy, try again");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5").body(problem);
	}

	@ExceptionHandler(DirectoryRunNotFound.class)
	ProblemDetail notFound(DirectoryRunNotFound missing) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, missing.getMessage());
		problem.setTitle("Run not found");
		return problem;
	}

	@ExceptionHandler(PeopleRefusal.class)
	ProblemDetail refused(PeopleRefusal refusal) {
		HttpStatus status = (refusal instanceof ProfileNotFound) ? HttpStatus.NOT_FOUND
				: (refusal instanceof ProfileChangedMeanwhile) ? HttpStatus.CONFLICT
						: (refusal.field() != null || refusal instanceof AreaNotFound) ? HttpStatus.BAD_REQUEST
								: HttpStatus.CONFLICT;
		String detail = this.messages.getMessage(refusal.code(), refusal.arguments(), refusal.getMessage(),
				Locale.ENGLISH);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(status.getReasonPhrase());
		if (refusal.field() != null) {
			problem.setProperty("errors", Map.of(refusal.field(), detail));
		}
		return problem;
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Map<String, String> errors = new LinkedHashMap<>();
		for (FieldError error : ex.getBindingResult().getFieldErrors()) {
			errors.putIfAbsent(error.getField(), this.messages.getMessage(error, Locale.ENGLISH));
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"The request has invalid fields: " + String.join(", ", errors.keySet()));
		problem.setTitle("Invalid request");
		problem.setProperty("errors", errors);
		return ResponseEntity.badRequest().body(problem);
	}

	/**
	 * A body that is not JSON stays a plain 400; a field of the wrong type (an array
	 * where a text belongs) is named in {@code errors}, as the other field errors are.
	 */
	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ResponseEntity<Object> response = super.handleHttpMessageNotReadable(ex, headers, status, request);
		if (ex.getCause() instanceof JacksonException jackson && response != null
				&& response.getBody() instanceof ProblemDetail problem) {
			jackson.getPath()
				.stream()
				.map(JacksonException.Reference::getPropertyName)
				.filter((field) -> field != null)
				.findFirst()
				.ifPresent((field) -> problem.setProperty("errors",
						Map.of(field, this.messages.getMessage("typeMismatch", null, Locale.ENGLISH))));
		}
		return response;
	}

}
