package io.seatkeeper.system;

import io.seatkeeper.directory.DirectoryRunNotFound;
import io.seatkeeper.license.LicenseRequestNotFound;
import io.seatkeeper.people.AreaNotFound;
import io.seatkeeper.people.ImportNotFound;
import io.seatkeeper.people.PeopleRefusal;
import io.seatkeeper.people.ProfileNotFound;

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

/**
 * Console pages: a missing record (a {@code …NotFound} thrown where the look-up fails) is
 * a 404 page, a refusal that reached no form a 409 page with its message; never a stack
 * trace. {@link ApiProblems} answers the same exceptions for the API.
 */
@ControllerAdvice(annotations = Controller.class)
@Order(Ordered.LOWEST_PRECEDENCE)
class ConsoleErrors {

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

	@ExceptionHandler({ LicenseRequestNotFound.class, DirectoryRunNotFound.class })
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
