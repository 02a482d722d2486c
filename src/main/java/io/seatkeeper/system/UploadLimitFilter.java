package io.seatkeeper.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.StandardMultipartHttpServletRequest;

/**
 * Reads the people upload's multipart body before Spring Security does. Security reads
 * the CSRF token from that body, and Tomcat fails the read when the file is over the
 * limit, which would end in a bare error page; here a file over the limit goes back to
 * the upload form, which names the limit.
 */
@Component
@Order(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1)
class UploadLimitFilter extends OncePerRequestFilter {

	private static final String UPLOAD = "/admin/people/import";

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod())
				|| !StringUtils.startsWithIgnoreCase(request.getContentType(), "multipart/")
				|| !(request.getContextPath() + UPLOAD).equals(request.getRequestURI());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			new StandardMultipartHttpServletRequest(request);
		}
		catch (MaxUploadSizeExceededException ex) {
			response.sendRedirect(request.getContextPath() + UPLOAD + "?tooLarge");
			return;
		}
		catch (MultipartException ex) {
			// Another fault of the body: the request goes on and is answered as before.
		}
		chain.doFilter(request, response);
	}

}
