package io.seatkeeper.sso;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of one provider, resolved ({@link SsoProperties#mapping}), and how its
 * claims map to areas and roles. A claim value is compared with the mappings' keys
 * ignoring case and a leading {@code /}; a Keycloak group path ({@code /org/partners}) is
 * tried as the whole path first, then by its last segment ({@code partners}).
 */
final class SsoMapping {

	private final String registrationId;

	private final String usernameClaim;

	private final String emailClaim;

	private final String firstNameClaim;

	private final String lastNameClaim;

	private final String areaClaim;

	private final Map<String, String> areas;

	private final String roleClaim;

	private final Map<String, Set<SsoRole>> roles;

	private final boolean refreshProfile;

	private final boolean allowLinking;

	SsoMapping(String registrationId, String usernameClaim, String emailClaim, String firstNameClaim,
			String lastNameClaim, String areaClaim, Map<String, String> areas, String roleClaim,
			Map<String, Set<SsoRole>> roles, boolean refreshProfile, boolean allowLinking) {
		this.registrationId = registrationId;
		this.usernameClaim = usernameClaim;
		this.emailClaim = emailClaim;
		this.firstNameClaim = firstNameClaim;
		this.lastNameClaim = lastNameClaim;
		this.areaClaim = blankToNull(areaClaim);
		this.roleClaim = blankToNull(roleClaim);
		this.refreshProfile = refreshProfile;
		this.allowLinking = allowLinking;
		this.areas = new HashMap<>();
		areas.forEach((value, area) -> {
			String previous = this.areas.put(normalize(value), area.strip());
			if (previous != null && !previous.equalsIgnoreCase(area.strip())) {
				throw new IllegalStateException("The area mapping of the provider " + registrationId + " maps '"
						+ normalize(value) + "' to both '" + previous + "' and '" + area.strip()
						+ "' (values are compared ignoring case and a leading /)");
			}
		});
		this.roles = new HashMap<>();
		roles.forEach(
				(value, given) -> this.roles.computeIfAbsent(normalize(value), (key) -> EnumSet.noneOf(SsoRole.class))
					.addAll((given != null) ? given : Set.of()));
	}

	String registrationId() {
		return this.registrationId;
	}

	String usernameClaim() {
		return this.usernameClaim;
	}

	String emailClaim() {
		return this.emailClaim;
	}

	String firstNameClaim() {
		return this.firstNameClaim;
	}

	String lastNameClaim() {
		return this.lastNameClaim;
	}

	boolean refreshProfile() {
		return this.refreshProfile;
	}

	boolean allowLinking() {
		return this.allowLinking;
	}

	/**
	 * Whether the role claim gives the roles at each sign-in.
	 */
	boolean mapsRoles() {
		return this.roleClaim != null;
	}

	/**
	 * The names of the areas the area claim's values map to, in the claim's order; none
	 * when there is no area claim.
	 */
	List<String> areaNames(Map<String, Object> claims) {
		if (this.areaClaim == null) {
			return List.of();
		}
		List<String> names = new ArrayList<>();
		for (String value : values(claims, this.areaClaim)) {
			area(value).ifPresent(names::add);
		}
		return names;
	}

	/**
	 * The roles the role claim's values give together; none when there is no role claim,
	 * or no value of it is mapped.
	 */
	Set<SsoRole> roles(Map<String, Object> claims) {
		Set<SsoRole> given = EnumSet.noneOf(SsoRole.class);
		if (this.roleClaim != null) {
			for (String value : values(claims, this.roleClaim)) {
				given.addAll(rolesOf(value).orElse(Set.of()));
			}
		}
		return given;
	}

	/**
	 * The values of each claim that a mapping reads and that map to nothing (no area and
	 * no role), with all the values of that claim, by claim; empty when every value maps.
	 */
	Map<String, Unmapped> unmapped(Map<String, Object> claims) {
		Map<String, Unmapped> unmapped = new LinkedHashMap<>();
		for (String claim : claimsRead()) {
			List<String> seen = values(claims, claim);
			List<String> nowhere = seen.stream()
				.filter((value) -> !(claim.equals(this.areaClaim) && area(value).isPresent())
						&& !(claim.equals(this.roleClaim) && rolesOf(value).isPresent()))
				.toList();
			if (!nowhere.isEmpty()) {
				unmapped.put(claim, new Unmapped(nowhere, seen));
			}
		}
		return unmapped;
	}

	private List<String> claimsRead() {
		List<String> claims = new ArrayList<>(2);
		if (this.areaClaim != null) {
			claims.add(this.areaClaim);
		}
		if (this.roleClaim != null && !this.roleClaim.equals(this.areaClaim)) {
			claims.add(this.roleClaim);
		}
		return claims;
	}

	private Optional<String> area(String value) {
		for (String key : keys(value)) {
			String area = this.areas.get(key);
			if (area != null) {
				return Optional.of(area);
			}
		}
		return Optional.empty();
	}

	private Optional<Set<SsoRole>> rolesOf(String value) {
		for (String key : keys(value)) {
			Set<SsoRole> given = this.roles.get(key);
			if (given != null) {
				return Optional.of(given);
			}
		}
		return Optional.empty();
	}

	/**
	 * The keys a claim value is looked up by, in order: the whole value, then, for a path
	 * such as Keycloak's full group path, its last segment.
	 */
	static List<String> keys(String value) {
		String whole = normalize(value);
		int slash = whole.lastIndexOf('/');
		if (slash < 0 || slash == whole.length() - 1) {
			return List.of(whole);
		}
		return List.of(whole, whole.substring(slash + 1));
	}

	/**
	 * A value or a mapping's key as it is compared: without surrounding spaces and a
	 * leading {@code /}, in lower case.
	 */
	static String normalize(String value) {
		String normalized = value.strip().toLowerCase(Locale.ROOT);
		while (normalized.startsWith("/")) {
			normalized = normalized.substring(1);
		}
		return normalized;
	}

	/**
	 * The values of a claim, as texts: each element of a list, or the one value; a claim
	 * that is absent at the top level may be a path into nested objects, as Keycloak's
	 * {@code realm_access.roles}.
	 */
	static List<String> values(Map<String, Object> claims, String claim) {
		Object value = claims.get(claim);
		if (value == null && claim.contains(".")) {
			Object nested = claims;
			for (String part : claim.split("\\.")) {
				nested = (nested instanceof Map<?, ?> map) ? map.get(part) : null;
			}
			value = nested;
		}
		Collection<?> all = (value instanceof Collection<?> many) ? many : (value != null) ? List.of(value) : List.of();
		List<String> values = new ArrayList<>();
		for (Object each : all) {
			if (each != null && !String.valueOf(each).isBlank()) {
				values.add(String.valueOf(each).strip());
			}
		}
		return values;
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	/**
	 * The values of one claim that map to nothing, and all the values it had.
	 */
	record Unmapped(List<String> values, List<String> seen) {
	}

}
