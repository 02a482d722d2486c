package io.seatkeeper.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileView;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends the console session of a profile that was blocked or deleted since it signed in:
 * blocking takes effect at the next click, not at the next sign-in.
 */
class ActiveProfileFilter extends OncePerRequestFilter {

	private final PeopleService people;

	ActiveProfileFilter(PeopleService people) {
		this.people = people;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof UsernamePasswordAuthenticationToken && authentication.isAuthenticated()
				&& !this.people.findByUsername(authentication.getName()).map(ProfileView::active).orElse(false)) {
			SecurityContextHolder.clearContext();
			HttpSession session = request.getSession(false);
			if (session != null) {
				session.invalidate();
			}
			response.sendRedirect(request.getContextPath() + "/login?blocked");
			return;
		}
		chain.doFilter(request, response);
	}

}
