package io.seatkeeper.directory;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The settings row in {@code directory_settings}, overlaid with what configuration sets.
 */
@Component
class DirectorySettingsStore {

	private final JdbcTemplate jdbc;

	private final DirectoryProperties properties;

	DirectorySettingsStore(JdbcTemplate jdbc, DirectoryProperties properties) {
		this.jdbc = jdbc;
		this.properties = properties;
	}

	/**
	 * The settings in effect now.
	 */
	DirectorySettings current() {
		Map<String, Object> row = this.jdbc.queryForMap("select * from directory_settings where id = 1");
		DirectoryProperties p = this.properties;
		Set<String> configured = new LinkedHashSet<>();
		Function<String, String> text = (column) -> (String) row.get(column);
		return new DirectorySettings(pick("url", p.url(), text.apply("url"), null, configured),
				pick("startTls", p.startTls(), (Boolean) row.get("start_tls"), false, configured),
				pick("bindDn", p.bindDn(), text.apply("bind_dn"), null, configured),
				pick("bindPassword", p.bindPassword(), text.apply("bind_password"), null, configured),
				pick("baseDn", p.baseDn(), text.apply("base_dn"), null, configured),
				pick("userFilter", p.userFilter(), text.apply("user_filter"), DirectorySettings.DEFAULT_FILTER,
						configured),
				pick("usernameAttribute", p.usernameAttribute(), text.apply("username_attribute"), "sAMAccountName",
						configured),
				pick("emailAttribute", p.emailAttribute(), text.apply("email_attribute"), "mail", configured),
				pick("firstNameAttribute", p.firstNameAttribute(), text.apply("first_name_attribute"), "givenName",
						configured),
				pick("lastNameAttribute", p.lastNameAttribute(), text.apply("last_name_attribute"), "sn", configured),
				pick("idAttribute", p.idAttribute(), text.apply("id_attribute"), "objectGUID", configured),
				pick("areaMapping", p.areaMapping(), text.apply("area_mapping"), "", configured),
				pick("cron", p.cron(), text.apply("cron"), DirectorySettings.DEFAULT_CRON, configured),
				pick("activateWhenFree", p.activateWhenFree(), (Boolean) row.get("activate_when_free"), false,
						configured),
				pick("maxBlockPercent", p.maxBlockPercent(), (Integer) row.get("max_block_percent"),
						DirectorySettings.DEFAULT_MAX_BLOCK_PERCENT, configured),
				Set.copyOf(configured));
	}

	/**
	 * Saves the form's values; an empty password keeps the stored one.
	 */
	void save(DirectoryForm form, String actor) {
		boolean keepPassword = form.bindPassword() == null || form.bindPassword().isEmpty();
		this.jdbc.update("update directory_settings set url = ?, start_tls = ?, bind_dn = ?, "
				+ (keepPassword ? "" : "bind_password = ?, ")
				+ "base_dn = ?, user_filter = ?, username_attribute = ?, email_attribute = ?, "
				+ "first_name_attribute = ?, last_name_attribute = ?, id_attribute = ?, area_mapping = ?, cron = ?, "
				+ "activate_when_free = ?, max_block_percent = ?, updated_at = ?, updated_by = ? where id = 1",
				values(form, keepPassword, actor));
	}

	private static Object[] values(DirectoryForm form, boolean keepPassword, String actor) {
		java.util.List<Object> values = new java.util.ArrayList<>();
		values.add(blankToNull(form.url()));
		values.add(form.isStartTls());
		values.add(blankToNull(form.bindDn()));
		if (!keepPassword) {
			values.add(form.bindPassword());
		}
		values.add(blankToNull(form.baseDn()));
		values.add(blankToNull(form.userFilter()));
		values.add(blankToNull(form.usernameAttribute()));
		values.add(blankToNull(form.emailAttribute()));
		values.add(blankToNull(form.firstNameAttribute()));
		values.add(blankToNull(form.lastNameAttribute()));
		values.add(blankToNull(form.idAttribute()));
		values.add(blankToNull(form.areaMapping()));
		values.add(blankToNull(form.cron()));
		values.add(form.isActivateWhenFree());
		values.add(form.maxBlockPercent());
		values.add(Timestamp.from(Instant.now()));
		values.add(actor);
		return values.toArray();
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	private static <T> T pick(String name, T configured, T stored, T fallback, Set<String> fromConfiguration) {
		if (configured != null && !(configured instanceof String text && text.isBlank())) {
			fromConfiguration.add(name);
			return configured;
		}
		return (stored != null) ? stored : fallback;
	}

}
