package io.seatkeeper.sso;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestTemplate;

/**
 * Decodes and checks the ID tokens of each provider as Spring Security's own
 * {@link OidcIdTokenDecoderFactory} does (RS256 signature from the provider's key set,
 * issuer, audience, expiry, nonce), but reads the provider's key set with the time-outs
 * of {@code seatkeeper.sso.key-set-*-timeout}: Spring's fixed half second fails sign-ins
 * whenever a provider answers slowly, as a busy or distant one does.
 */
final class SsoIdTokenDecoders implements JwtDecoderFactory<ClientRegistration> {

	private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();

	private final RestTemplate keySets;

	SsoIdTokenDecoders(Duration connectTimeout, Duration readTimeout) {
		SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
		requests.setConnectTimeout(connectTimeout);
		requests.setReadTimeout(readTimeout);
		this.keySets = new RestTemplate(requests);
	}

	@Override
	public JwtDecoder createDecoder(ClientRegistration registration) {
		return this.decoders.computeIfAbsent(registration.getRegistrationId(), (id) -> decoder(registration));
	}

	private JwtDecoder decoder(ClientRegistration registration) {
		String keySet = registration.getProviderDetails().getJwkSetUri();
		if (!StringUtils.hasText(keySet)) {
			throw new OAuth2AuthenticationException(new OAuth2Error("missing_signature_verifier",
					"The provider " + registration.getRegistrationId() + " has no jwk-set-uri", null));
		}
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(keySet)
			.jwsAlgorithm(SignatureAlgorithm.RS256)
			.restOperations(this.keySets)
			.build();
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(),
				new OidcIdTokenValidator(registration)));
		decoder.setClaimSetConverter(OidcIdTokenDecoderFactory.createDefaultClaimTypeConverter());
		return decoder;
	}

}
