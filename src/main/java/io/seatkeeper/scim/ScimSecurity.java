package io.seatkeeper.scim;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import io.seatkeeper.tokens.BearerTokens;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * {@code /scim/v2/**} accepts only bearer tokens with the SCIM scope: stateless, no CSRF
 * (no cookie is ever read), and a missing, invalid, expired or revoked token (401) or a
 * token without the scope (403) answered in the SCIM error schema.
 */
@Configuration(proxyBeanMethods = false)
class ScimSecurity {

	@Bean
	@Order(0)
	SecurityFilterChain scimFilterChain(HttpSecurity http, BearerTokens tokens) throws Exception {
		AuthenticationEntryPoint unauthorized = (request, response, ex) -> write(response, 401,
				"A bearer token with the SCIM scope is required (Authorization: Bearer <token>); "
						+ "a sysadmin creates one at /admin/system/tokens");
		AccessDeniedHandler forbidden = (request, response, ex) -> write(response, 403, "The token has no SCIM scope");
		http.securityMatcher("/scim/v2/**")
			.authorizeHttpRequests((requests) -> requests.anyRequest().hasAuthority("SCOPE_SCIM"))
			.csrf((csrf) -> csrf.disable())
			.requestCache((cache) -> cache.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden));
		tokens.configure(http, unauthorized);
		return http.build();
	}

	private static void write(HttpServletResponse response, int status, String detail) throws IOException {
		if (status == 401 && !response.containsHeader("WWW-Authenticate")) {
			response.setHeader("WWW-Authenticate", "Bearer realm=\"scim\"");
		}
		response.setStatus(status);
		response.setContentType(ScimJson.SCIM.toString());
		response.getOutputStream().write(ScimJson.error(status, null, detail).getBody());
	}

}
