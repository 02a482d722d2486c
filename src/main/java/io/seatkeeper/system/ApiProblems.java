package io.seatkeeper.system;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.springframework.core.MethodParameter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;
import org.springframework.core.Ordered;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The API's answers to refusals and bad input, as RFC 9457 problem details: 400 with the
 * field or parameter errors, 404 for a missing record, 409 naming the pool when it is
 * full, 415 naming the content types an endpoint takes. {@link ProblemErrorController}
 * gives the same answers to what fails before a controller is chosen (no such path or
 * method, a content type no endpoint takes). Every problem carries its readable
 * {@code message} (the same text as its {@code detail}) and a stable {@code code}, the
 * key of that text in {@code messages.properties}.
 */
@RestControllerAdvice(annotations = RestController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiProblems extends ResponseEntityExceptionHandler implements ResponseBodyAdvice<Object> {

	private final MessageSource messages;

	ApiProblems(MessageSource messages) {
		this.messages = messages;
	}

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	/**
	 * A problem that a controller made itself gets its {@code code} and {@code message}
	 * too, if it has none.
	 */
	@Override
	public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType selectedContentType,
			Class<? extends HttpMessageConverter<?>> selectedConverterType, ServerHttpRequest request,
			ServerHttpResponse response) {
		if (body instanceof ProblemDetail problem) {
			coded(problem, codeOf(problem.getStatus()));
		}
		return body;
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
			return coded(problem, "license.expired");
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
		return coded(problem, "license.full");
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
		coded(problem, "error.busy");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5").body(problem);
	}

	@ExceptionHandler(DirectoryRunNotFound.class)
	ProblemDetail notFound(DirectoryRunNotFound missing) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, missing.getMessage());
		problem.setTitle("Run not found");
		return coded(problem, "directory.run.notFound");
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
		return coded(problem, refusal.code());
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
		return ResponseEntity.badRequest().body(coded(problem, "error.request.invalid"));
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

	/**
	 * The problem for an exception that no controller's handling reached (Spring MVC's
	 * own, and a multipart body that could not be read), or {@code null} for any other.
	 */
	ResponseEntity<Object> answer(Exception ex, WebRequest request) {
		if (ex instanceof MultipartException multipart && !(ex instanceof MaxUploadSizeExceededException)) {
			return ResponseEntity.badRequest().body(malformedMultipart(multipart));
		}
		try {
			return handleException(ex, request);
		}
		catch (Exception unknown) {
			return null;
		}
	}

	/**
	 * A multipart body that cannot be read (truncated, no boundary): a 400, as any other
	 * body that is not understood.
	 */
	ProblemDetail malformedMultipart(MultipartException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				this.messages.getMessage("error.multipart", null, Locale.ENGLISH));
		problem.setTitle("Invalid request");
		return coded(problem, "error.multipart");
	}

	/**
	 * Names the content types the endpoint takes, in the detail and as {@code accepted}.
	 */
	@Override
	protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ResponseEntity<Object> response = super.handleHttpMediaTypeNotSupported(ex, headers, status, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem
				&& !ex.getSupportedMediaTypes().isEmpty()) {
			List<String> accepted = ex.getSupportedMediaTypes().stream().map(MediaType::toString).toList();
			problem.setDetail(this.messages.getMessage("error.api.contentType",
					new Object[] { (ex.getContentType() != null) ? ex.getContentType().toString() : "none",
							String.join(", ", accepted) },
					Locale.ENGLISH));
			problem.setProperty("accepted", accepted);
			coded(problem, "error.api.contentType");
		}
		return response;
	}

	/**
	 * A parameter or path variable that is not of its type (a word where a number
	 * belongs, a number past the type's range) is named in {@code errors}.
	 */
	@Override
	protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		return withErrors(super.handleTypeMismatch(ex, headers, status, request), ex.getPropertyName(),
				this.messages.getMessage("typeMismatch", null, Locale.ENGLISH));
	}

	@Override
	protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return withErrors(super.handleMissingServletRequestParameter(ex, headers, status, request),
				ex.getParameterName(), this.messages.getMessage("error.parameter.missing", null, Locale.ENGLISH));
	}

	/**
	 * A parameter out of its range ({@code @Min}, {@code @Max} on the controller's
	 * parameter) is named in {@code errors}, with what the range is.
	 */
	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ResponseEntity<Object> response = super.handleHandlerMethodValidationException(ex, headers, status, request);
		Map<String, String> errors = parameterErrors(ex, this.messages, Locale.ENGLISH);
		if (response != null && response.getBody() instanceof ProblemDetail problem && !errors.isEmpty()) {
			problem.setDetail("The request has invalid parameters: " + String.join(", ", errors.keySet()));
			problem.setProperty("errors", errors);
			coded(problem, "error.parameter.invalid");
		}
		return response;
	}

	/**
	 * Every answer of Spring MVC's own exceptions gets its stable {@code code} and its
	 * {@code message}.
	 */
	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem) {
			coded(problem, code(ex, statusCode.value()));
		}
		return response;
	}

	/**
	 * The stable code of an exception that Spring MVC answers.
	 */
	static String code(Exception ex, int status) {
		if (ex instanceof TypeMismatchException) {
			return "typeMismatch";
		}
		if (ex instanceof MissingServletRequestParameterException) {
			return "error.parameter.missing";
		}
		if (ex instanceof HandlerMethodValidationException || ex instanceof MethodArgumentNotValidException) {
			return "error.parameter.invalid";
		}
		if (ex instanceof HttpMessageNotReadableException) {
			return "error.body.unreadable";
		}
		if (ex instanceof HttpMediaTypeNotSupportedException) {
			return "error.api.contentType";
		}
		if (ex instanceof MaxUploadSizeExceededException) {
			return "error.tooLarge";
		}
		return codeOf(status);
	}

	/**
	 * The stable code of an answer that only its status explains.
	 */
	static String codeOf(int status) {
		return switch (status) {
			case 400 -> "error.badRequest";
			case 401 -> "error.unauthorized";
			case 403 -> "error.forbidden";
			case 404 -> "error.notFound";
			case 405 -> "error.method";
			case 406 -> "error.notAcceptable";
			case 413 -> "error.tooLarge";
			case 415 -> "error.api.contentType";
			case 500 -> "error.500";
			case 503 -> "error.busy";
			default -> "error.status." + status;
		};
	}

	/**
	 * Gives the problem its stable {@code code} (the key of its text in
	 * {@code messages.properties}), unless it has one, and its {@code message}: the
	 * readable text, the same as its {@code detail}. A problem without a detail gets the
	 * code's text as its detail.
	 */
	ProblemDetail coded(ProblemDetail problem, String code) {
		if (problem.getProperties() == null || !problem.getProperties().containsKey("code")) {
			problem.setProperty("code", code);
		}
		if (problem.getDetail() == null) {
			String fallback = HttpStatus.resolve(problem.getStatus()) != null
					? HttpStatus.valueOf(problem.getStatus()).getReasonPhrase() : "Error";
			problem.setDetail(this.messages.getMessage((String) problem.getProperties().get("code"), null, fallback,
					Locale.ENGLISH));
		}
		problem.setProperty("message", problem.getDetail());
		return problem;
	}

	/**
	 * Each invalid parameter of a request, by the name it has in the request, with its
	 * first message.
	 */
	static Map<String, String> parameterErrors(HandlerMethodValidationException ex, MessageSource messages,
			Locale locale) {
		Map<String, String> errors = new LinkedHashMap<>();
		ex.getParameterValidationResults().forEach((result) -> {
			RequestParam param = result.getMethodParameter().getParameterAnnotation(RequestParam.class);
			String name = (param != null && !param.name().isEmpty()) ? param.name()
					: result.getMethodParameter().getParameterName();
			result.getResolvableErrors()
				.stream()
				.findFirst()
				.ifPresent((error) -> errors.putIfAbsent(name, messages.getMessage(error, locale)));
		});
		return errors;
	}

	private static ResponseEntity<Object> withErrors(ResponseEntity<Object> response, String name, String message) {
		if (response != null && response.getBody() instanceof ProblemDetail problem && name != null) {
			problem.setProperty("errors", Map.of(name, message));
		}
		return response;
	}

}
