package io.seatkeeper.system;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The headers a browser enforces, for each filter chain. They come on top of Spring
 * Security's defaults ({@code X-Content-Type-Options: nosniff},
 * {@code X-Frame-Options: DENY}, no caching, HSTS over HTTPS).
 */
final class SecurityHeaders {

	/**
	 * The console's pages load scripts, styles, images, fonts and data only from
	 * Seatkeeper itself, and nothing inline: every script and style is a file under
	 * {@code static/} or a webjar. {@code data:} images are Bootstrap's icons (the arrow
	 * of a select, the tick of a checkbox), which its stylesheet embeds.
	 */
	static final String CONSOLE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
			+ "form-action 'self'; frame-ancestors 'none'";

	/**
	 * The API description's UI ({@code /swagger-ui/**}, sysadmins only) has the console's
	 * policy but for inline styles: Swagger UI's bundled script sets inline styles as it
	 * draws the description (Chromium refused one under {@code style-src 'self'}; the
	 * hash it names depends on what is drawn, so no hash can allow it). Scripts stay
	 * {@code 'self'} only, so no injected script can run there either.
	 */
	static final String API_UI_POLICY = CONSOLE_POLICY.replace("style-src 'self';",
			"style-src 'self' 'unsafe-inline';");

	/** The paths of the API description's UI. */
	static final String API_UI_PATHS = "/swagger-ui/**";

	/** The API answers JSON and CSV, which must never run or load anything. */
	static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";

	/** The browser features the console never uses, switched off for it and any frame. */
	static final String PERMISSIONS_POLICY = "accelerometer=(), autoplay=(), camera=(), display-capture=(), "
			+ "encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
			+ "midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), "
			+ "serial=(), usb=(), xr-spatial-tracking=()";

	private SecurityHeaders() {
	}

	static void console(HeadersConfigurer<HttpSecurity> headers) {
		RequestMatcher apiUi = PathPatternRequestMatcher.pathPattern(API_UI_PATHS);
		headers
			.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(new NegatedRequestMatcher(apiUi),
					new ContentSecurityPolicyHeaderWriter(CONSOLE_POLICY)))
			.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(apiUi,
					new ContentSecurityPolicyHeaderWriter(API_UI_POLICY)))
			.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
			.permissionsPolicyHeader((permissions) -> permissions.policy(PERMISSIONS_POLICY));
	}

	static void api(HeadersConfigurer<HttpSecurity> headers) {
		headers.contentSecurityPolicy((csp) -> csp.policyDirectives(API_POLICY))
			.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.NO_REFERRER));
	}

}
