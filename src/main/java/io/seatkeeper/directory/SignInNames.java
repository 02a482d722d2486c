package io.seatkeeper.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The names a directory user may sign in with besides the bare username
 * ({@code sAMAccountName}): the user principal name {@code user@corp.example.test} and
 * the down-level logon name {@code CORP\\user}, ignoring case, each naming the same
 * profile. The UPN suffixes and NetBIOS domain names accepted come from configuration, or
 * else from the base DN ({@code DC=corp,DC=example,DC=test} gives
 * {@code corp.example.test} and {@code CORP}); another suffix or domain is not taken off,
 * so such a name signs nobody in.
 *
 * @param enabled whether the other names are accepted at all
 * @param upnSuffixes the UPN suffixes accepted, lower case
 * @param domains the NetBIOS domain names accepted, upper case
 */
record SignInNames(boolean enabled, List<String> upnSuffixes, List<String> domains) {

	static SignInNames of(DirectoryProperties properties, DirectorySettings settings) {
		String dns = dnsDomain(settings.baseDn());
		List<String> suffixes = new ArrayList<>();
		for (String suffix : listed(properties.upnSuffixes(), dns)) {
			suffixes.add(suffix.toLowerCase(Locale.ROOT));
		}
		String label = (dns != null) ? dns.split("\\.")[0] : null;
		List<String> domains = new ArrayList<>();
		for (String domain : listed(properties.netbiosDomains(), label)) {
			domains.add(domain.toUpperCase(Locale.ROOT));
		}
		return new SignInNames(properties.signInNames(), suffixes, domains);
	}

	/**
	 * The username that the name signed in with stands for: the name itself when it is a
	 * bare username, the part before {@code @} of a UPN with an accepted suffix, the part
	 * after {@code \} of a name with an accepted domain; empty for a UPN or domain name
	 * that is not accepted.
	 */
	Optional<String> username(String name) {
		if (name == null) {
			return Optional.empty();
		}
		String typed = name.strip();
		int backslash = typed.indexOf('\\');
		int at = typed.lastIndexOf('@');
		if (backslash < 0 && at < 0) {
			return Optional.of(typed);
		}
		if (!this.enabled) {
			return Optional.empty();
		}
		if (backslash > 0 && backslash == typed.lastIndexOf('\\') && backslash < typed.length() - 1 && at < 0) {
			String domain = typed.substring(0, backslash).toUpperCase(Locale.ROOT);
			return this.domains.contains(domain) ? Optional.of(typed.substring(backslash + 1)) : Optional.empty();
		}
		if (at > 0 && backslash < 0 && at < typed.length() - 1) {
			String suffix = typed.substring(at + 1).toLowerCase(Locale.ROOT);
			return this.upnSuffixes.contains(suffix) ? Optional.of(typed.substring(0, at)) : Optional.empty();
		}
		return Optional.empty();
	}

	private static List<String> listed(List<String> configured, String fallback) {
		List<String> values = new ArrayList<>();
		if (configured != null && !configured.isEmpty()) {
			for (String value : configured) {
				if (value != null && !value.isBlank() && !"-".equals(value.strip())) {
					values.add(value.strip());
				}
			}
			return values;
		}
		if (fallback != null) {
			values.add(fallback);
		}
		return values;
	}

	/**
	 * The DNS domain of the {@code DC=} parts of a DN, or {@code null} if it has none.
	 */
	static String dnsDomain(String dn) {
		if (dn == null) {
			return null;
		}
		List<String> labels = new ArrayList<>();
		for (String part : dn.split(",")) {
			String rdn = part.strip();
			if (rdn.regionMatches(true, 0, "DC=", 0, 3) && rdn.length() > 3) {
				labels.add(rdn.substring(3).strip());
			}
		}
		return labels.isEmpty() ? null : String.join(".", labels);
	}

}
