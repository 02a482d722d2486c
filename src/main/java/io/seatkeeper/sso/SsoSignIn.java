package io.seatkeeper.sso;

import java.util.ArrayList;
import java.util.List;

import io.seatkeeper.notification.ResponsiblePerson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.stereotype.Component;

/**
 * Sign-in through the OpenID Connect providers of
 * {@code spring.security.oauth2.client.registration.*}, when any is configured; with
 * none, the console signs in with passwords only.
 */
@Component
public class SsoSignIn {

	private static final Logger logger = LoggerFactory.getLogger(SsoSignIn.class);

	private final ObjectProvider<ClientRegistrationRepository> registrations;

	private final SsoAccounts accounts;

	private final ApplicationEventPublisher publisher;

	private final ResponsiblePerson responsiblePerson;

	private final SsoIdTokenDecoders idTokens;

	private final SsoProperties properties;

	SsoSignIn(ObjectProvider<ClientRegistrationRepository> registrations, SsoAccounts accounts,
			ApplicationEventPublisher publisher, ResponsiblePerson responsiblePerson, SsoProperties properties) {
		this.registrations = registrations;
		this.accounts = accounts;
		this.publisher = publisher;
		this.responsiblePerson = responsiblePerson;
		this.properties = properties;
		this.idTokens = new SsoIdTokenDecoders(properties.keySetConnectTimeout(), properties.keySetReadTimeout());
	}

	/**
	 * Adds sign-in through the providers to the console's security, beside the sign-in
	 * form at {@code /login}, when any provider is configured, and sign-out that also
	 * ends the provider's session when it can ({@link SsoSignOut}). The password sign-in
	 * keeps its authentication manager: it is the parent of the one this adds.
	 * @param http the console's security
	 * @param passwords the authentication manager of the sign-in form
	 */
	public void configure(HttpSecurity http, AuthenticationManager passwords) throws Exception {
		ClientRegistrationRepository repository = this.registrations.getIfAvailable();
		if (repository == null) {
			return;
		}
		checkProviderSettings();
		OidcAuthorizationCodeAuthenticationProvider oidc = new OidcAuthorizationCodeAuthenticationProvider(
				new RestClientAuthorizationCodeTokenResponseClient(), new SsoUserService(this.accounts));
		oidc.setJwtDecoderFactory(this.idTokens);
		ProviderManager manager = new ProviderManager(List.of(oidc), passwords);
		// The sign-in's success event records the profile's last sign-in, as for a
		// password.
		manager.setAuthenticationEventPublisher(new DefaultAuthenticationEventPublisher(this.publisher));
		SsoFailures failures = new SsoFailures(this.publisher, repository);
		http.authenticationManager(manager)
			.oauth2Login((login) -> login.loginPage("/login")
				.clientRegistrationRepository(repository)
				.defaultSuccessUrl("/")
				.failureHandler(failures)
				.withObjectPostProcessor(new ObjectPostProcessor<OAuth2AuthorizationRequestRedirectFilter>() {
					// Spring Security answers a start it cannot resolve (an unknown
					// provider id) with a 500.
					@Override
					public <O extends OAuth2AuthorizationRequestRedirectFilter> O postProcess(O filter) {
						filter.setAuthenticationFailureHandler(failures::onStartFailure);
						return filter;
					}
				}))
			.logout((logout) -> logout.logoutSuccessHandler(new SsoSignOut(repository)));
	}

	/**
	 * Fails the start on a mapping that contradicts itself, and logs the settings of a
	 * provider that is not configured (a typo in its registration id would otherwise
	 * silently leave the global settings in force).
	 */
	private void checkProviderSettings() {
		List<String> configured = providers().stream().map(SsoProvider::registrationId).toList();
		configured.forEach(this.properties::mapping);
		this.properties.providers()
			.keySet()
			.stream()
			.filter((id) -> !configured.contains(id))
			.sorted()
			.forEach((id) -> logger.warn(
					"seatkeeper.sso.providers.{}.* names no provider of spring.security.oauth2.client.registration.* ({}): its settings are not used",
					id, configured));
	}

	/**
	 * The configured providers, in the order of their configuration; none when single
	 * sign-on is not configured.
	 */
	public List<SsoProvider> providers() {
		List<SsoProvider> providers = new ArrayList<>();
		if (this.registrations.getIfAvailable() instanceof Iterable<?> all) {
			for (Object each : all) {
				ClientRegistration registration = (ClientRegistration) each;
				providers.add(new SsoProvider(registration.getRegistrationId(), registration.getClientName(),
						"/oauth2/authorization/" + registration.getRegistrationId()));
			}
		}
		return providers;
	}

	/**
	 * Whom a refused person should ask: the responsible person's address, or {@code null}
	 * when none is set.
	 */
	public String contact() {
		return this.responsiblePerson.address();
	}

}
