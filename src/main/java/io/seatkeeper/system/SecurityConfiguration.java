package io.seatkeeper.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.seatkeeper.people.AwaitingLicense;
import io.seatkeeper.people.DormantSignIn;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.sso.SsoSignIn;
import io.seatkeeper.tokens.BearerTokens;
import io.seatkeeper.tokens.TokenScope;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AccountStatusUserDetailsChecker;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.authentication.event.AuthenticationFailureDisabledEvent;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.ExceptionMappingAuthenticationFailureHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Who may open what. The API and the metrics use HTTP Basic without sessions or CSRF; the
 * console uses form login with CSRF on every change. Every {@code /admin/**} path needs
 * an administrator's role.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	/**
	 * Checks the password first and the account's state after: a blocked profile is told
	 * it is blocked only when its password was right, so the answer reveals nothing to
	 * someone guessing usernames.
	 */
	@Bean
	AuthenticationManager authenticationManager(UserDetailsService profiles, PasswordEncoder passwordEncoder,
			ApplicationEventPublisher publisher, ObjectProvider<AuthenticationProvider> otherProviders,
			SignInThrottle throttle, DormantSignIn dormant) {
		DaoAuthenticationProvider provider = new DaoAuthenticationProvider(profiles);
		provider.setPasswordEncoder(passwordEncoder);
		provider.setPreAuthenticationChecks((user) -> {
		});
		// A blocked profile whose password was right: a dormant one comes back through
		// the gate (or is told its place in the queue); any other is refused as blocked.
		AccountStatusUserDetailsChecker status = new AccountStatusUserDetailsChecker();
		provider.setPostAuthenticationChecks((user) -> {
			if (user.isEnabled() || !dormant.comeBack(user.getUsername())) {
				status.check(user);
			}
		});
		// Then every other provider (the directory's bind), in their declared order.
		List<AuthenticationProvider> providers = new ArrayList<>();
		providers.add(provider);
		otherProviders.orderedStream().forEach(providers::add);
		ProviderManager manager = new ProviderManager(providers);
		DefaultAuthenticationEventPublisher events = new DefaultAuthenticationEventPublisher(publisher);
		// A sign-in that waits for a licence is refused as a blocked one is, and audited.
		events.setAdditionalExceptionMappings(Map.of(AwaitingLicense.class, AuthenticationFailureDisabledEvent.class));
		manager.setAuthenticationEventPublisher(events);
		// Failed sign-ins are counted, and a throttled one refused before any provider.
		return throttle.guard(manager);
	}

	@Bean
	@Order(1)
	SecurityFilterChain apiSecurity(HttpSecurity http, AuthenticationManager authenticationManager,
			SignInThrottle throttle, BearerTokens bearerTokens) throws Exception {
		String read = TokenScope.API_READ.authority();
		String write = TokenScope.API_WRITE.authority();
		http.securityMatcher("/api/**", "/actuator/**")
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/actuator/health", "/actuator/health/**")
				.permitAll()
				.requestMatchers("/actuator/prometheus")
				.hasRole("SYSADMIN")
				.requestMatchers(HttpMethod.GET, "/api/v1/license")
				.hasAnyAuthority("ROLE_SYSADMIN", "ROLE_PEOPLE_ADMIN", read, write)
				.requestMatchers(HttpMethod.GET, "/api/v1/profiles", "/api/v1/profiles.csv", "/api/v1/profiles/**")
				.hasAnyAuthority("ROLE_PEOPLE_ADMIN", read, write)
				.requestMatchers("/api/v1/profiles", "/api/v1/profiles.csv", "/api/v1/profiles/**")
				.hasAnyAuthority("ROLE_PEOPLE_ADMIN", write)
				.requestMatchers(HttpMethod.GET, "/api/v1/reports/dormant", "/api/v1/reports/dormant.csv")
				.hasAnyAuthority("ROLE_SYSADMIN", "ROLE_PEOPLE_ADMIN", read, write)
				.requestMatchers("/api/v1/directory/**", "/api/v1/tokens", "/api/v1/tokens/**")
				.hasRole("SYSADMIN")
				.anyRequest()
				.denyAll())
			.authenticationManager(authenticationManager)
			.httpBasic(Customizer.withDefaults())
			// Without credentials, the answer asks for a password (people); a bearer
			// token
			// that is refused is answered with its own WWW-Authenticate: Bearer header.
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(basicEntryPoint())
				.accessDeniedHandler(new AccessDeniedHandlerImpl()))
			.csrf((csrf) -> csrf.disable())
			.headers(SecurityHeaders::api)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.addFilterBefore(new BasicSignInThrottleFilter(throttle), BasicAuthenticationFilter.class);
		bearerTokens.configure(http);
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain consoleSecurity(HttpSecurity http, AuthenticationManager authenticationManager,
			PeopleService people, SsoSignIn sso) throws Exception {
		ExceptionMappingAuthenticationFailureHandler failures = new ExceptionMappingAuthenticationFailureHandler();
		failures.setDefaultFailureUrl("/login?error");
		failures.setExceptionMappings(Map.of(DisabledException.class.getName(), "/login?blocked",
				TooManyFailedSignIns.class.getName(), "/login?throttled"));
		AuthenticationFailureHandler signInFailures = (request, response, exception) -> {
			if (exception instanceof AwaitingLicense awaiting) {
				// The page of its place in the queue, read again each time it is shown.
				request.getSession().setAttribute(DormantSignIn.AWAITING_SESSION_ATTRIBUTE, awaiting.username());
				response.sendRedirect(request.getContextPath() + "/login/awaiting");
				return;
			}
			failures.onAuthenticationFailure(request, response, exception);
		};
		http.authorizeHttpRequests((requests) -> requests
			.requestMatchers("/login", "/login/awaiting", "/error", "/webjars/**", "/css/**", "/favicon.ico",
					"/favicon.svg")
			.permitAll()
			.requestMatchers("/admin/system", "/admin/system/**")
			.hasRole("SYSADMIN")
			// The API's OpenAPI description and its UI.
			.requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html",
					"/swagger-ui/**")
			.hasRole("SYSADMIN")
			.requestMatchers(HttpMethod.POST, "/admin/people/{id}/roles")
			.hasRole("SYSADMIN")
			.requestMatchers(HttpMethod.GET, "/admin/people", "/admin/people/{id:[0-9]+}")
			.hasAnyRole("PEOPLE_ADMIN", "SYSADMIN")
			// The reclaim report: both roles; a held run is confirmed by a sysadmin.
			.requestMatchers(HttpMethod.GET, "/admin/people/dormant", "/admin/people/dormant.csv")
			.hasAnyRole("PEOPLE_ADMIN", "SYSADMIN")
			.requestMatchers(HttpMethod.POST, "/admin/people/dormant/runs/*/confirm")
			.hasRole("SYSADMIN")
			.requestMatchers("/admin/people", "/admin/people/**")
			.hasRole("PEOPLE_ADMIN")
			.requestMatchers("/admin", "/admin/**")
			.hasAnyRole("PEOPLE_ADMIN", "SYSADMIN")
			.anyRequest()
			.authenticated())
			.authenticationManager(authenticationManager)
			.formLogin((
					form) -> form.loginPage("/login").failureHandler(signInFailures).defaultSuccessUrl("/").permitAll())
			.logout((logout) -> logout.logoutSuccessUrl("/login?logout").permitAll())
			.headers(SecurityHeaders::console)
			.addFilterAfter(new ActiveProfileFilter(people), BasicAuthenticationFilter.class);
		sso.configure(http, authenticationManager);
		return http.build();
	}

	private static BasicAuthenticationEntryPoint basicEntryPoint() {
		BasicAuthenticationEntryPoint entryPoint = new BasicAuthenticationEntryPoint();
		entryPoint.setRealmName("Seatkeeper");
		return entryPoint;
	}

}
