package io.seatkeeper.scim;

import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.messages.ErrorResponse;
import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.people.ExternalIdTaken;
import io.seatkeeper.people.NotProvisioned;
import io.seatkeeper.people.PeopleRefusal;
import io.seatkeeper.people.ProfileChangedMeanwhile;
import io.seatkeeper.people.ProfileNotFound;
import io.seatkeeper.people.UsernameTaken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Answers every failure of the SCIM endpoint in the SCIM error schema
 * ({@code urn:ietf:params:scim:api:messages:2.0:Error}) with its status and
 * {@code scimType}, as {@code application/scim+json}: never a stack trace.
 */
@ControllerAdvice(
		assignableTypes = { ScimUsersController.class, ScimGroupsController.class, ScimDiscoveryController.class })
@Order(Ordered.HIGHEST_PRECEDENCE)
class ScimErrors {

	private static final Logger logger = LoggerFactory.getLogger(ScimErrors.class);

	@ExceptionHandler(ScimException.class)
	ResponseEntity<byte[]> scim(ScimException ex) {
		ErrorResponse error = ex.getScimError();
		return ScimJson.error(error.getStatus(), error.getScimType(), error.getDetail());
	}

	@ExceptionHandler({ UsernameTaken.class, ExternalIdTaken.class, NotProvisioned.class })
	ResponseEntity<byte[]> taken(PeopleRefusal ex) {
		return ScimJson.error(409, "uniqueness", ex.getMessage());
	}

	@ExceptionHandler(ProfileNotFound.class)
	ResponseEntity<byte[]> notFound(ProfileNotFound ex) {
		return ScimJson.error(404, null, ex.getMessage());
	}

	@ExceptionHandler(ProfileChangedMeanwhile.class)
	ResponseEntity<byte[]> changedMeanwhile(ProfileChangedMeanwhile ex) {
		return ScimJson.error(409, null, "The user was changed by another request meanwhile; read it and try again");
	}

	@ExceptionHandler(PeopleRefusal.class)
	ResponseEntity<byte[]> refused(PeopleRefusal ex) {
		return ScimJson.error(400, "invalidValue", ex.getMessage());
	}

	@ExceptionHandler(LicenseLimitExceeded.class)
	ResponseEntity<byte[]> full(LicenseLimitExceeded ex) {
		return ScimJson.error(403, null, detail(ex));
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<byte[]> badParameter(MethodArgumentTypeMismatchException ex) {
		return ScimJson.error(400, "invalidValue", "The parameter " + ex.getName() + " is not valid: " + ex.getValue());
	}

	@ExceptionHandler(PessimisticLockingFailureException.class)
	ResponseEntity<byte[]> busy(PessimisticLockingFailureException ex) {
		return ResponseEntity.status(503)
			.header("Retry-After", "1")
			.contentType(ScimJson.SCIM)
			.body(ScimJson.error(503, null, "The user or its pool is busy; try again").getBody());
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<byte[]> failed(Exception ex) {
		logger.error("A SCIM request failed", ex);
		return ScimJson.error(500, null, "The request failed on the server; it is logged");
	}

	/**
	 * Names the pool, its maximum and how many are active.
	 */
	static String detail(LicenseLimitExceeded ex) {
		if (ex.expired()) {
			return "The licence expired on " + ex.expiredOn() + ": no profile of the " + ex.pool()
					+ " pool can be made active (maximum " + ex.max() + ", active " + ex.active() + ")";
		}
		return "The " + ex.pool() + " pool is full: maximum " + ex.max() + ", active " + ex.active()
				+ "; no licence is free";
	}

}
