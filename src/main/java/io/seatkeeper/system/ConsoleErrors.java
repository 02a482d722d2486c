package io.seatkeeper.system;

import io.seatkeeper.directory.DirectoryRunNotFound;
import io.seatkeeper.license.LicenseRequestNotFound;
import io.seatkeeper.people.AreaNotFound;
import io.seatkeeper.people.ImportNotFound;
import io.seatkeeper.people.PeopleRefusal;
import io.seatkeeper.people.ProfileNotFound;
import io.seatkeeper.tokens.TokenNotFound;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.context.MessageSource;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Console pages: a missing record (a {@code …NotFound} thrown where the look-up fails) is
 * a 404 page, a refusal that reached no form a 409 page with its message; never a stack
 * trace. {@link ApiProblems} answers the same exceptions for the API.
 */
@ControllerAdvice(annotations = Controller.class)
@Order(Ordered.LOWEST_PRECEDENCE)
class ConsoleErrors {

	private final MessageSource messages;

	ConsoleErrors(MessageSource messages) {
		this.messages = messages;
	}

	/**
	 * A parameter out of its range (a dormancy of two billion days): the 400 page names
	 * the parameter and the range.
	 */
	@ExceptionHandler(HandlerMethodValidationException.class)
	@ResponseStatus(HttpStatus.BAD_REQUEST)
	String invalidParameter(HandlerMethodValidationException ex, Model model, Locale locale) {
		Map<String, String> errors = ApiProblems.parameterErrors(ex, this.messages, locale);
		model.addAttribute("detail",
				errors.entrySet()
					.stream()
					.map((error) -> this.messages.getMessage("error.parameter",
							new Object[] { error.getKey(), error.getValue() }, locale))
					.collect(Collectors.joining(" ")));
		return "error/400";
	}

	/**
	 * A parameter that is not of its type (a word or a number past the type's range where
	 * a number belongs): the 400 page names it.
	 */
	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	@ResponseStatus(HttpStatus.BAD_REQUEST)
	String mismatchedParameter(MethodArgumentTypeMismatchException ex, Model model, Locale locale) {
		model.addAttribute("detail", this.messages.getMessage("error.parameter",
				new Object[] { ex.getName(), this.messages.getMessage("typeMismatch", null, locale) }, locale));
		return "error/400";
	}

	@ExceptionHandler({ ProfileNotFound.class, AreaNotFound.class, ImportNotFound.class })
	@ResponseStatus(HttpStatus.NOT_FOUND)
	String notFound(PeopleRefusal refusal, Model model) {
		model.addAttribute("status", 404);
		model.addAttribute("refusal", refusal);
		return "error/refusal";
	}

	/**
	 * A lock that could not be had in time (the pools or a profile were held by other
	 * work): nothing changed, and the person is told to try again.
	 */
	@ExceptionHandler(PessimisticLockingFailureException.class)
	@ResponseStatus(HttpStatus.SERVICE_UNAVAILABLE)
	String busy(HttpServletResponse response) {
		response.setHeader(HttpHeaders.RETRY_AFTER, "5");
		return "error/busy";
	}

	@ExceptionHandler({ LicenseRequestNotFound.class, DirectoryRunNotFound.class, TokenNotFound.class })
	@ResponseStatus(HttpStatus.NOT_FOUND)
	String missingRecord() {
		return "error/404";
	}

	@ExceptionHandler(PeopleRefusal.class)
	@ResponseStatus(HttpStatus.CONFLICT)
	String refused(PeopleRefusal refusal, Model model) {
		model.addAttribute("status", 409);
		model.addAttribute("refusal", refusal);
		return "error/refusal";
	}

}
