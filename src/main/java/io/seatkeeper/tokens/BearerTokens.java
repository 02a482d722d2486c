package io.seatkeeper.tokens;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.authentication.OpaqueTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.stereotype.Component;

/**
 * Makes a filter chain accept {@code Authorization: Bearer <token>} (RFC 6750), through
 * Spring Security's resource-server support with an introspector over {@link ApiTokens}:
 * a request with a valid token is authenticated as {@code token:<name>} with the
 * authority {@code SCOPE_<scope>} of each of its scopes. A token in the query string is
 * never read.
 */
@Component
public class BearerTokens {

	/** The name of a request authenticated with a token, and its audit actor. */
	public static final String ACTOR_PREFIX = "token:";

	private final ApiTokens tokens;

	BearerTokens(ApiTokens tokens) {
		this.tokens = tokens;
	}

	/**
	 * Accepts bearer tokens on the chain; a missing, unknown, expired or revoked token is
	 * answered by {@code entryPoint} (after the {@code WWW-Authenticate: Bearer} header
	 * naming the error is set).
	 */
	public void configure(HttpSecurity http, AuthenticationEntryPoint entryPoint) throws Exception {
		BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
		AuthenticationEntryPoint answer = (request, response, failure) -> {
			bearer.commence(request, response, failure);
			entryPoint.commence(request, response, failure);
		};
		OpaqueTokenIntrospector introspector = this::introspect;
		http.oauth2ResourceServer((server) -> server.authenticationEntryPoint(answer)
			.opaqueToken((opaque) -> opaque
				.authenticationManager(new ProviderManager(new OpaqueTokenAuthenticationProvider(introspector)))));
	}

	/**
	 * Accepts bearer tokens on the chain, a refused token answered with a 401 error page
	 * (an RFC 9457 problem under {@code /api/}).
	 */
	public void configure(HttpSecurity http) throws Exception {
		configure(http, (request, response, failure) -> {
			if (!response.isCommitted()) {
				response.sendError(HttpServletResponse.SC_UNAUTHORIZED, failure.getMessage());
			}
		});
	}

	private OAuth2AuthenticatedPrincipal introspect(String token) {
		ApiTokens.Check check = this.tokens.check(token);
		if (!check.accepted()) {
			throw new BadOpaqueTokenException(check.refusal());
		}
		List<GrantedAuthority> authorities = check.scopes()
			.stream()
			.<GrantedAuthority>map((scope) -> new SimpleGrantedAuthority(scope.authority()))
			.toList();
		Map<String, Object> attributes = new LinkedHashMap<>();
		attributes.put("token_id", check.id());
		attributes.put("token_name", check.name());
		return new DefaultOAuth2AuthenticatedPrincipal(ACTOR_PREFIX + check.name(), attributes, authorities);
	}

}
