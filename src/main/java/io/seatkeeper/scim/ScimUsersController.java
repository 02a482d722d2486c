package io.seatkeeper.scim;

import java.net.URI;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.AndFilter;
import com.unboundid.scim2.common.filters.ComplexValueFilter;
import com.unboundid.scim2.common.filters.EqualFilter;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.utils.FilterEvaluator;
import io.seatkeeper.people.ProvisionedAccount;
import io.seatkeeper.people.ProvisionedAccounts;
import io.seatkeeper.people.ProvisionedUser;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The SCIM Users endpoint: create, read, search, replace, patch and delete users, each a
 * provisioned profile that passes the licence gate. Bodies are read and written with the
 * SCIM SDK's JSON mapper ({@link ScimJson}); an answer is {@code application/scim+json}.
 */
@Controller
@RequestMapping("/scim/v2/Users")
class ScimUsersController {

	private static final String VALUE_PATH = "([A-Za-z][\\w$:.-]*)\\[([^\\]]*)\\]\\.([A-Za-z][\\w$-]*)";

	private static final Pattern COMPARED_VALUE_PATH = Pattern.compile(
			VALUE_PATH + "\\s+(eq|ne|co|sw|ew|gt|ge|lt|le)\\s+(\"(?:[^\"\\\\]|\\\\.)*\"|[^\\s()]+)",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern PRESENT_VALUE_PATH = Pattern.compile(VALUE_PATH + "\\s+pr\\b",
			Pattern.CASE_INSENSITIVE);

	/** The most resources one list answer holds. */
	static final int MAX_RESULTS = 200;

	private final ProvisionedAccounts accounts;

	private final ScimGroups groups;

	private final ScimProperties properties;

	ScimUsersController(ProvisionedAccounts accounts, ScimGroups groups, ScimProperties properties) {
		this.accounts = accounts;
		this.groups = groups;
		this.properties = properties;
	}

	@PostMapping
	ResponseEntity<byte[]> createUser(HttpServletRequest request, Principal principal,
			@RequestParam(required = false) String attributes,
			@RequestParam(required = false) String excludedAttributes) throws ScimException {
		ObjectNode body = ScimJson.read(request);
		ProvisionedUser user = UserResources.fromJson(body);
		ProvisionedAccount created = this.accounts.create(user, this.properties.queues(), principal.getName());
		ObjectNode json = UserResources.toJson(created, this.groups.groupsOf(created.id()));
		return ScimJson.created(Projection.of(attributes, excludedAttributes, ScimJson.USER).apply(json),
				URI.create(ScimJson.base() + "/Users/" + created.id()), UserResources.version(created));
	}

	@GetMapping("/{id}")
	ResponseEntity<byte[]> showUser(@PathVariable String id, @RequestParam(required = false) String attributes,
			@RequestParam(required = false) String excludedAttributes) throws ScimException {
		ProvisionedAccount account = find(id);
		ObjectNode json = UserResources.toJson(account, this.groups.groupsOf(account.id()));
		return ScimJson.answer(200, Projection.of(attributes, excludedAttributes, ScimJson.USER).apply(json), null,
				UserResources.version(account));
	}

	@GetMapping
	ResponseEntity<byte[]> listUsers(@RequestParam(required = false) String filter,
			@RequestParam(required = false) Integer startIndex, @RequestParam(required = false) Integer count,
			@RequestParam(required = false) String attributes,
			@RequestParam(required = false) String excludedAttributes) throws ScimException {
		Filter parsed = parse(filter);
		if (parsed == null) {
			// Every user: the page only is read, and counted in the database.
			int start = (startIndex == null || startIndex < 1) ? 1 : startIndex;
			int size = (count == null) ? MAX_RESULTS : Math.max(0, Math.min(count, MAX_RESULTS));
			Projection projection = Projection.of(attributes, excludedAttributes, ScimJson.USER);
			List<ObjectNode> page = new ArrayList<>();
			for (ProvisionedAccount account : (size == 0) ? List.<ProvisionedAccount>of()
					: this.accounts.page(start - 1, size)) {
				page.add(projection.apply(UserResources.toJson(account,
						projection.returns("groups") ? this.groups.groupsOf(account.id()) : List.of())));
			}
			return ScimJson.ok(page(page, this.accounts.count(), start));
		}
		Narrowing narrowing = new Narrowing();
		if (parsed != null) {
			narrowing.collect(parsed);
		}
		List<ObjectNode> matching = new ArrayList<>();
		if (!narrowing.none) {
			Projection projection = Projection.of(attributes, excludedAttributes, ScimJson.USER);
			for (ProvisionedAccount account : this.accounts.find(narrowing.userName, narrowing.externalId,
					narrowing.email)) {
				ObjectNode json = UserResources.toJson(account,
						projection.returns("groups") ? this.groups.groupsOf(account.id()) : List.of());
				if (parsed == null || FilterEvaluator.evaluate(parsed, json)) {
					matching.add(projection.apply(json));
				}
			}
		}
		return ScimJson.ok(list(matching, startIndex, count));
	}

	@PutMapping("/{id}")
	ResponseEntity<byte[]> replaceUser(@PathVariable String id, HttpServletRequest request, Principal principal)
			throws ScimException {
		long profileId = find(id).id();
		ObjectNode body = ScimJson.read(request);
		ProvisionedUser user = UserResources.fromJson(body);
		ProvisionedAccount updated = this.accounts.update(profileId, user, this.properties.queues(),
				principal.getName());
		return ScimJson.answer(200, UserResources.toJson(updated, this.groups.groupsOf(profileId)), null,
				UserResources.version(updated));
	}

	@PatchMapping("/{id}")
	ResponseEntity<byte[]> patchUser(@PathVariable String id, HttpServletRequest request, Principal principal,
			@RequestParam(required = false) String attributes,
			@RequestParam(required = false) String excludedAttributes) throws ScimException {
		ProvisionedAccount account = find(id);
		ObjectNode body = ScimJson.read(request);
		ObjectNode current = UserResources.toJson(account, List.of());
		current.remove("groups");
		ObjectNode patched = UserResources.patch(current, body);
		ProvisionedUser user = UserResources.fromJson(patched);
		ProvisionedAccount updated = this.accounts.update(account.id(), user, this.properties.queues(),
				principal.getName());
		ObjectNode json = UserResources.toJson(updated, this.groups.groupsOf(updated.id()));
		return ScimJson.answer(200, Projection.of(attributes, excludedAttributes, ScimJson.USER).apply(json), null,
				UserResources.version(updated));
	}

	@DeleteMapping("/{id}")
	ResponseEntity<byte[]> deleteUser(@PathVariable String id, Principal principal) throws ScimException {
		long profileId = find(id).id();
		this.groups.deleteUser(profileId, this.properties.onDelete() == ScimProperties.OnDelete.BLOCK,
				principal.getName());
		return ResponseEntity.noContent().build();
	}

	private ProvisionedAccount find(String id) throws ScimException {
		try {
			return this.accounts.find(Long.parseLong(id))
				.orElseThrow(() -> new ResourceNotFoundException("No user has the id " + id));
		}
		catch (NumberFormatException ex) {
			throw new ResourceNotFoundException("No user has the id " + id);
		}
	}

	static Filter parse(String filter) throws ScimException {
		if (filter == null || filter.isBlank()) {
			return null;
		}
		try {
			return Filter.fromString(valuePathsInside(filter));
		}
		catch (BadRequestException ex) {
			throw BadRequestException.invalidFilter("The filter " + filter + " does not parse: " + ex.getMessage());
		}
		catch (RuntimeException ex) {
			throw BadRequestException.invalidFilter("The filter " + filter + " does not parse");
		}
	}

	/**
	 * Writes Entra ID's {@code emails[type eq "work"].value eq "x"} (a comparison of a
	 * sub-attribute after a value filter, which RFC 7644's grammar does not have) as the
	 * equivalent {@code emails[type eq "work" and value eq "x"]}.
	 */
	static String valuePathsInside(String filter) {
		String rewritten = COMPARED_VALUE_PATH.matcher(filter).replaceAll("$1[$2 and $3 $4 $5]");
		return PRESENT_VALUE_PATH.matcher(rewritten).replaceAll("$1[$2 and $3 pr]");
	}

	/**
	 * A list response: the page of {@code resources} from {@code startIndex} (from 1), at
	 * most {@code count} of them ({@value #MAX_RESULTS} at most).
	 */
	static ObjectNode list(List<ObjectNode> resources, Integer startIndex, Integer count) {
		int start = (startIndex == null || startIndex < 1) ? 1 : startIndex;
		int size = (count == null) ? MAX_RESULTS : Math.max(0, Math.min(count, MAX_RESULTS));
		int from = Math.min(resources.size(), start - 1);
		int to = Math.min(resources.size(), from + size);
		return page(resources.subList(from, to), resources.size(), start);
	}

	/**
	 * A list response of one page already cut, of {@code total} resources in all.
	 */
	static ObjectNode page(List<ObjectNode> page, int total, int start) {
		ObjectNode list = ScimJson.object();
		list.putArray("schemas").add(ScimJson.LIST);
		list.put("totalResults", total);
		list.put("startIndex", start);
		list.put("itemsPerPage", page.size());
		ArrayNode resources = list.putArray("Resources");
		page.forEach(resources::add);
		return list;
	}

	/**
	 * What the filter's equality tests on {@code userName}, {@code externalId} and
	 * {@code emails.value} (alone or joined by {@code and}) say, so that only the
	 * profiles they name are read; the whole filter is then evaluated on each.
	 */
	private static final class Narrowing {

		String userName;

		String externalId;

		String email;

		boolean none;

		void collect(Filter filter) {
			collect(filter, "");
		}

		private void collect(Filter filter, String prefix) {
			if (filter instanceof AndFilter and) {
				and.getCombinedFilters().forEach((combined) -> collect(combined, prefix));
				return;
			}
			if (filter instanceof ComplexValueFilter complex) {
				collect(complex.getValueFilter(), prefix + complex.getAttributePath().toString() + ".");
				return;
			}
			if (!(filter instanceof EqualFilter) || filter.getComparisonValue() == null
					|| !filter.getComparisonValue().isTextual()) {
				return;
			}
			String value = filter.getComparisonValue().asText();
			String path = (prefix + filter.getAttributePath().withoutFilters().toString()).toLowerCase(Locale.ROOT);
			if (path.startsWith(ScimJson.USER.toLowerCase(Locale.ROOT) + ":")) {
				path = path.substring(ScimJson.USER.length() + 1);
			}
			switch (path) {
				case "username" -> this.userName = same(this.userName, value, true);
				case "externalid" -> this.externalId = same(this.externalId, value, false);
				case "emails.value", "emails" -> this.email = same(this.email, value, true);
				default -> {
				}
			}
		}

		private String same(String before, String value, boolean ignoreCase) {
			if (before != null && !(ignoreCase ? before.equalsIgnoreCase(value) : before.equals(value))) {
				this.none = true;
			}
			return value;
		}

	}

}
