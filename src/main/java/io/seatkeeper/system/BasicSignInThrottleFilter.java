package io.seatkeeper.system;

import java.io.IOException;
import java.time.Instant;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.www.BasicAuthenticationConverter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers an HTTP Basic attempt for a locked account or from a locked address with
 * {@code 429 Too Many Requests}, {@code Retry-After} and an RFC 9457 problem, before the
 * password is checked: a client that is told to wait waits, where a {@code 401} would
 * only make it ask again for the password.
 */
class BasicSignInThrottleFilter extends OncePerRequestFilter {

	static final String PROBLEM_TYPE = "urn:seatkeeper:problem:sign-in-throttled";

	private final SignInThrottle throttle;

	private final BasicAuthenticationConverter converter = new BasicAuthenticationConverter();

	BasicSignInThrottleFilter(SignInThrottle throttle) {
		this.throttle = throttle;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		UsernamePasswordAuthenticationToken attempt;
		try {
			attempt = this.converter.convert(request);
		}
		catch (AuthenticationException ex) {
			// A malformed header: the Basic filter answers it.
			attempt = null;
		}
		if (attempt != null && attempt.getName() != null) {
			try {
				this.throttle.refuseIfThrottled(attempt.getName(), request.getRemoteAddr(), "basic");
			}
			catch (TooManyFailedSignIns ex) {
				refuse(response, ex.retryAfterSeconds(Instant.now()));
				return;
			}
		}
		chain.doFilter(request, response);
	}

	private static void refuse(HttpServletResponse response, long retryAfter) throws IOException {
		response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
		response.setHeader("Retry-After", String.valueOf(retryAfter));
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.getWriter()
			.write("{\"type\":\"" + PROBLEM_TYPE + "\",\"title\":\"Too many failed sign-ins\",\"status\":429,"
					+ "\"detail\":\"Too many failed sign-ins for this account or from this address. "
					+ "Sign-in is refused for " + retryAfter + " more seconds; try again after that.\","
					+ "\"retryAfter\":" + retryAfter + "}");
	}

}
