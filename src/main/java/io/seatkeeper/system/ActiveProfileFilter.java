package io.seatkeeper.system;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileView;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps a console session true to its profile: a profile blocked or deleted since it
 * signed in loses its session at the next click, and a change of roles takes effect at
 * the next click too.
 */
class ActiveProfileFilter extends OncePerRequestFilter {

	private final PeopleService people;

	private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

	ActiveProfileFilter(PeopleService people) {
		this.people = people;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		// A password or a single sign-on session: both are named by the profile's
		// username.
		if (authentication != null && !(authentication instanceof AnonymousAuthenticationToken)
				&& authentication.isAuthenticated()) {
			Optional<ProfileView> profile = this.people.findByUsername(authentication.getName());
			if (profile.isEmpty() || !profile.get().active()) {
				SecurityContextHolder.clearContext();
				HttpSession session = request.getSession(false);
				if (session != null) {
					session.invalidate();
				}
				response.sendRedirect(request.getContextPath() + "/login?blocked");
				return;
			}
			Set<String> roles = profile.get().authorities();
			if (!roles.equals(AuthorityUtils.authorityListToSet(authentication.getAuthorities()))) {
				UsernamePasswordAuthenticationToken refreshed = UsernamePasswordAuthenticationToken
					.authenticated(authentication.getPrincipal(), null, AuthorityUtils.createAuthorityList(roles));
				refreshed.setDetails(authentication.getDetails());
				SecurityContext context = SecurityContextHolder.createEmptyContext();
				context.setAuthentication(refreshed);
				SecurityContextHolder.setContext(context);
				this.contexts.saveContext(context, request, response);
			}
		}
		chain.doFilter(request, response);
	}

}
