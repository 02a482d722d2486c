package io.seatkeeper.directory;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import io.seatkeeper.directory.AreaMapping.InvalidMapping;

import org.springframework.scheduling.support.CronExpression;
import org.springframework.validation.Errors;

/**
 * Checks the settings form field by field; a field set by configuration is not on the
 * form and not checked.
 */
final class DirectoryFormValidator {

	private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,99}");

	private DirectoryFormValidator() {
	}

	static void validate(DirectoryForm form, Set<String> configured, Map<String, Long> areaIds, Errors errors) {
		if (!configured.contains("url")) {
			String url = trim(form.url());
			if (url.isEmpty()) {
				errors.rejectValue("url", "directory.url.required");
			}
			else if (!validUrl(url)) {
				errors.rejectValue("url", "directory.url.invalid");
			}
			else if (form.isStartTls() && url.toLowerCase(Locale.ROOT).startsWith("ldaps://")) {
				errors.rejectValue("startTls", "directory.startTls.withLdaps");
			}
		}
		if (!configured.contains("bindDn") && !trim(form.bindDn()).isEmpty()
				&& AreaMapping.name(form.bindDn().strip()).isEmpty()) {
			errors.rejectValue("bindDn", "directory.dn.invalid");
		}
		if (!configured.contains("bindPassword") && form.bindPassword() != null && form.bindPassword().length() > 500) {
			errors.rejectValue("bindPassword", "directory.password.tooLong");
		}
		if (!configured.contains("baseDn")) {
			if (trim(form.baseDn()).isEmpty()) {
				errors.rejectValue("baseDn", "directory.baseDn.required");
			}
			else if (AreaMapping.name(form.baseDn().strip()).isEmpty() || form.baseDn().length() > 1000) {
				errors.rejectValue("baseDn", "directory.dn.invalid");
			}
		}
		if (!configured.contains("userFilter") && !trim(form.userFilter()).isEmpty()) {
			try {
				String filter = form.userFilter().strip();
				if (!filter.startsWith("(") || !filter.endsWith(")")) {
					throw new LDAPException(com.unboundid.ldap.sdk.ResultCode.FILTER_ERROR, "Not enclosed");
				}
				Filter.create(filter);
			}
			catch (LDAPException ex) {
				errors.rejectValue("userFilter", "directory.filter.invalid");
			}
		}
		for (String field : new String[] { "usernameAttribute", "emailAttribute", "firstNameAttribute",
				"lastNameAttribute", "idAttribute" }) {
			String value = trim(attribute(form, field));
			if (!configured.contains(field) && !value.isEmpty() && !ATTRIBUTE.matcher(value).matches()) {
				errors.rejectValue(field, "directory.attribute.invalid");
			}
		}
		if (!configured.contains("areaMapping")) {
			if (form.areaMapping() != null && form.areaMapping().length() > 8000) {
				errors.rejectValue("areaMapping", "directory.mapping.tooLong");
			}
			else {
				try {
					if (AreaMapping.parse(form.areaMapping(), areaIds).isEmpty()) {
						errors.rejectValue("areaMapping", "directory.mapping.required");
					}
				}
				catch (InvalidMapping ex) {
					errors.rejectValue("areaMapping", ex.code(), new Object[] { ex.line(), ex.value() }, null);
				}
			}
		}
		if (!configured.contains("cron")) {
			String cron = trim(form.cron());
			if (!cron.isEmpty() && !"-".equals(cron) && !CronExpression.isValidExpression(cron)) {
				errors.rejectValue("cron", "directory.cron.invalid");
			}
		}
		if (!configured.contains("maxBlockPercent")
				&& (form.maxBlockPercent() == null || form.maxBlockPercent() < 0 || form.maxBlockPercent() > 100)) {
			errors.rejectValue("maxBlockPercent", "directory.maxBlockPercent.invalid");
		}
	}

	private static boolean validUrl(String url) {
		String lower = url.toLowerCase(Locale.ROOT);
		if (!lower.startsWith("ldap://") && !lower.startsWith("ldaps://")) {
			return false;
		}
		try {
			URI uri = URI.create(url);
			return uri.getHost() != null
					&& (uri.getPath() == null || uri.getPath().isEmpty() || "/".equals(uri.getPath()))
					&& url.length() <= 500;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static String attribute(DirectoryForm form, String field) {
		return switch (field) {
			case "usernameAttribute" -> form.usernameAttribute();
			case "emailAttribute" -> form.emailAttribute();
			case "firstNameAttribute" -> form.firstNameAttribute();
			case "lastNameAttribute" -> form.lastNameAttribute();
			default -> form.idAttribute();
		};
	}

	private static String trim(String value) {
		return (value != null) ? value.strip() : "";
	}

}
