package io.seatkeeper.audit;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * The audit log in words, for the audit page: each action, pool and detail as
 * {@code messages.properties} says it ("Responsible person changed from — to
 * licences@example.org"), not as the log stores it ({@code RESPONSIBLE_PERSON_CHANGED},
 * {@code from=null, to=…}). The log and its CSV export keep the stored codes.
 */
@Component
class AuditWords {

	private static final String NOTHING = "—";

	private static final Pattern CODE = Pattern.compile("[A-Z][A-Z_]*");

	private static final String[] VALUE_PREFIXES = { "audit.value.", "reason.", "state.", "pool.", "source." };

	private final MessageSource messages;

	AuditWords(MessageSource messages) {
		this.messages = messages;
	}

	/**
	 * One entry of the log as the page shows it.
	 */
	AuditRow row(AuditLog.AuditEntry entry, Locale locale) {
		return new AuditRow(entry, action(entry.action(), locale), pool(entry.pool(), locale),
				details(entry.action(), entry.details(), locale));
	}

	/**
	 * An action's name ("Profile blocked"); an action without a message reads as its code
	 * in words.
	 */
	String action(String action, Locale locale) {
		if (action == null) {
			return NOTHING;
		}
		return message("audit.action." + action, locale, sentence(action));
	}

	/**
	 * A pool's name with its maximum's label ("Primary (Max_Users)"), or a dash.
	 */
	String pool(String pool, Locale locale) {
		if (pool == null || pool.isBlank()) {
			return NOTHING;
		}
		return message("audit.pool." + pool, locale, pool);
	}

	/**
	 * The details in words: through the action's own sentence when it has one
	 * ({@code audit.details.ACTION}, whose {@code {name}} placeholders take the details'
	 * values), otherwise each {@code name=value} as "Name: value", joined by " · ".
	 */
	String details(String action, String details, Locale locale) {
		if (details == null || details.isBlank()) {
			return "";
		}
		Map<String, String> fields = fields(details);
		if (fields.isEmpty()) {
			return details;
		}
		String sentence = message("audit.details." + action, locale, null);
		if (sentence != null) {
			String text = sentence;
			for (Map.Entry<String, String> field : fields.entrySet()) {
				text = text.replace("{" + field.getKey() + "}", value(field.getValue(), locale));
			}
			return text;
		}
		StringBuilder text = new StringBuilder();
		for (Map.Entry<String, String> field : fields.entrySet()) {
			if (!text.isEmpty()) {
				text.append(" · ");
			}
			if (field.getKey().isEmpty()) {
				text.append(field.getValue());
				continue;
			}
			text.append(message("audit.field." + field.getKey().replace(' ', '_'), locale, capitalised(field.getKey())))
				.append(": ")
				.append(value(field.getValue(), locale));
		}
		return text.toString();
	}

	/**
	 * The stored {@code name=value, name=value} details as an ordered map; a part without
	 * {@code =} belongs to the value before it (a value may hold ", "), or stands alone
	 * under an empty name when it comes first.
	 */
	static Map<String, String> fields(String details) {
		Map<String, String> fields = new LinkedHashMap<>();
		String last = null;
		for (String part : details.split(", ")) {
			int equals = part.indexOf('=');
			if (equals > 0) {
				last = part.substring(0, equals).strip();
				fields.put(last, part.substring(equals + 1).strip());
			}
			else if (last != null && !last.isEmpty()) {
				fields.put(last, fields.get(last) + ", " + part);
			}
			else {
				fields.merge("", part, (before, more) -> before + ", " + more);
				last = "";
			}
		}
		return fields;
	}

	private String value(String value, Locale locale) {
		if (value == null || value.isEmpty() || "null".equals(value)) {
			return NOTHING;
		}
		if ("true".equals(value)) {
			return message("yes", locale, value);
		}
		if ("false".equals(value)) {
			return message("no", locale, value);
		}
		if (CODE.matcher(value).matches()) {
			for (String prefix : VALUE_PREFIXES) {
				String word = message(prefix + value, locale, null);
				if (word != null) {
					return word;
				}
			}
		}
		return value;
	}

	private String message(String code, Locale locale, String otherwise) {
		return this.messages.getMessage(code, null, otherwise, locale);
	}

	private static String sentence(String code) {
		return capitalised(code.toLowerCase(Locale.ROOT).replace('_', ' '));
	}

	private static String capitalised(String text) {
		return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	/**
	 * An entry with its words: the page's row.
	 *
	 * @param entry the stored entry
	 * @param action the action's name
	 * @param pool the pool's name, or a dash
	 * @param details the details in words
	 */
	record AuditRow(AuditLog.AuditEntry entry, String action, String pool, String details) {

	}

}
