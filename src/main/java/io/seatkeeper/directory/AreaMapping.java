package io.seatkeeper.directory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;

/**
 * Which area a directory entry belongs to: one rule per line, {@code DN -> area name},
 * the first that matches wins. A rule matches an entry that sits under its DN (an OU) or
 * that is a member of it (a group, by {@code memberOf}). An entry that no rule matches is
 * out of the sync's scope.
 */
final class AreaMapping {

	static final String ARROW = "->";

	private final List<Rule> rules;

	private AreaMapping(List<Rule> rules) {
		this.rules = rules;
	}

	/**
	 * Reads the mapping; {@code areaIds} maps each area's lower-case name to its id.
	 * @throws InvalidMapping naming the first line at fault
	 */
	static AreaMapping parse(String text, Map<String, Long> areaIds) {
		List<Rule> rules = new ArrayList<>();
		String[] lines = (text != null) ? text.split("\\R") : new String[0];
		for (int i = 0; i < lines.length; i++) {
			String line = lines[i].strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			int arrow = line.lastIndexOf(ARROW);
			if (arrow <= 0) {
				throw new InvalidMapping(i + 1, "directory.mapping.noArrow", line);
			}
			String dn = line.substring(0, arrow).strip();
			String area = line.substring(arrow + ARROW.length()).strip();
			int number = i + 1;
			LdapName name = name(dn).orElseThrow(() -> new InvalidMapping(number, "directory.mapping.badDn", dn));
			Long areaId = areaIds.get(area.toLowerCase(Locale.ROOT));
			if (areaId == null) {
				throw new InvalidMapping(i + 1, "directory.mapping.unknownArea", area);
			}
			rules.add(new Rule(name, areaId));
		}
		return new AreaMapping(rules);
	}

	/**
	 * The DN of each line, OU or group, as written.
	 */
	List<String> dns() {
		return this.rules.stream().map((rule) -> rule.dn.toString()).toList();
	}

	boolean isEmpty() {
		return this.rules.isEmpty();
	}

	/**
	 * The area of an entry, or empty when it is out of scope.
	 */
	Optional<Long> areaOf(String dn, Collection<String> memberOf) {
		Optional<LdapName> entry = name(dn);
		List<LdapName> groups = new ArrayList<>();
		for (String group : memberOf) {
			name(group).ifPresent(groups::add);
		}
		for (Rule rule : this.rules) {
			if (entry.isPresent() && entry.get().size() > rule.dn.size() && entry.get().startsWith(rule.dn)) {
				return Optional.of(rule.areaId);
			}
			if (groups.contains(rule.dn)) {
				return Optional.of(rule.areaId);
			}
		}
		return Optional.empty();
	}

	static Optional<LdapName> name(String dn) {
		if (dn == null || dn.isBlank()) {
			return Optional.empty();
		}
		try {
			return Optional.of(new LdapName(dn));
		}
		catch (InvalidNameException | IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	private record Rule(LdapName dn, long areaId) {
	}

	/**
	 * A mapping line that cannot be read.
	 */
	static class InvalidMapping extends RuntimeException {

		private final int line;

		private final String code;

		private final String value;

		InvalidMapping(int line, String code, String value) {
			super(code + " at line " + line);
			this.line = line;
			this.code = code;
			this.value = value;
		}

		int line() {
			return this.line;
		}

		String code() {
			return this.code;
		}

		String value() {
			return this.value;
		}

	}

}
