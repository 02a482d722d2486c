package io.seatkeeper.notification;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How licence-limit mails are written and delivered. The mail server itself is set with
 * the standard {@code spring.mail.*} properties.
 *
 * @param from the sender address of every mail
 * @param baseUrl the address of this site, for the links in the mails
 * @param siteName the name of this site, as the mails name it
 * @param pollInterval how often the sender looks for queued mail (it also runs right
 * after each commit that queued one)
 * @param retryFirst the wait after the first failed attempt; each later one doubles it
 * @param retryMax the longest wait between two attempts
 * @param claimFor how long a node holds a mail it is sending before another node may try
 * it; longer than the mail server's time-outs
 * @param poolCheckInterval how often every pool is checked for an active count above its
 * maximum, and for a free licence that ends an episode
 */
@ConfigurationProperties("seatkeeper.mail")
public record NotificationMailProperties(@DefaultValue("seatkeeper@localhost") String from,
		@DefaultValue("http://localhost:8080") String baseUrl, @DefaultValue("Seatkeeper") String siteName,
		@DefaultValue("5s") Duration pollInterval, @DefaultValue("30s") Duration retryFirst,
		@DefaultValue("30m") Duration retryMax, @DefaultValue("5m") Duration claimFor,
		@DefaultValue("1m") Duration poolCheckInterval) {

	public NotificationMailProperties {
		if (from.chars().anyMatch(Character::isISOControl) || siteName.chars().anyMatch(Character::isISOControl)) {
			throw new IllegalArgumentException("seatkeeper.mail.from and site-name must not contain line breaks");
		}
		baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
	}

	/**
	 * The wait before attempt number {@code failed + 1}, after {@code failed} failures.
	 */
	Duration retryAfter(int failed) {
		Duration wait = this.retryFirst;
		for (int i = 1; i < failed && wait.compareTo(this.retryMax) < 0; i++) {
			wait = wait.multipliedBy(2);
		}
		return (wait.compareTo(this.retryMax) > 0) ? this.retryMax : wait;
	}

}
