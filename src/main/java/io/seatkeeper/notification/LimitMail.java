package io.seatkeeper.notification;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.seatkeeper.license.LicenseService;
import io.seatkeeper.license.Pool;
import io.seatkeeper.license.PoolUsage;
import io.seatkeeper.license.QueuedProfile;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes a licence-limit mail, in plain text and HTML, from the templates under
 * {@code templates/mail/} and the words of the message files.
 */
@Component
class LimitMail {

	/** Awaiting profiles named in a mail; the License page lists them all. */
	static final int AWAITING_NAMED = 10;

	private final JdbcTemplate jdbc;

	private final LicenseService licenses;

	private final MessageSource messages;

	private final NotificationMailProperties properties;

	private final SpringTemplateEngine engine = new SpringTemplateEngine();

	LimitMail(JdbcTemplate jdbc, LicenseService licenses, MessageSource messages,
			NotificationMailProperties properties) {
		this.jdbc = jdbc;
		this.licenses = licenses;
		this.messages = messages;
		this.properties = properties;
		this.engine.addTemplateResolver(resolver(TemplateMode.TEXT, ".txt", 1));
		this.engine.addTemplateResolver(resolver(TemplateMode.HTML, ".html", 2));
		this.engine.setTemplateEngineMessageSource(messages);
	}

	private static ClassLoaderTemplateResolver resolver(TemplateMode mode, String suffix, int order) {
		ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
		resolver.setPrefix("templates/mail/");
		resolver.setResolvablePatterns(Set.of("*" + suffix));
		resolver.setTemplateMode(mode);
		resolver.setCharacterEncoding("UTF-8");
		resolver.setCheckExistence(true);
		resolver.setOrder(order);
		return resolver;
	}

	/**
	 * The mail of an episode, with the figures as they stand now.
	 */
	Content write(long episodeId) {
		Map<String, Object> episode = this.jdbc.queryForMap(
				"select pool, kind, refused_attempts, events, opened_at from notification_episode where id = ?",
				episodeId);
		Pool pool = Pool.valueOf((String) episode.get("pool"));
		String kind = (String) episode.get("kind");
		PoolUsage usage = this.licenses.usage(pool);
		List<QueuedProfile> awaiting = this.licenses.queue(pool, AWAITING_NAMED);
		Context context = new Context(Locale.ENGLISH);
		context.setVariable("site", this.properties.siteName());
		context.setVariable("pool", pool.label());
		context.setVariable("usage", usage);
		context.setVariable("warning", LimitEpisodes.WARNING.equals(kind));
		context.setVariable("refused", ((Number) episode.get("refused_attempts")).intValue());
		context.setVariable("events", ((Number) episode.get("events")).intValue());
		context.setVariable("awaiting", awaiting);
		context.setVariable("licenseUrl", this.properties.baseUrl() + "/admin/system/license");
		context.setVariable("peopleUrl", this.properties.baseUrl() + "/admin/people");
		String subjectCode = LimitEpisodes.WARNING.equals(kind) ? "mail.limit.subject.warning" : "mail.limit.subject";
		String subject = this.messages.getMessage(subjectCode,
				new Object[] { this.properties.siteName(), pool.label(), usage.active(), usage.max() }, Locale.ENGLISH);
		return new Content(subject.replaceAll("[\\r\\n\\t]", " "), this.engine.process("limit.txt", context),
				this.engine.process("limit.html", context));
	}

	record Content(String subject, String text, String html) {
	}

}
