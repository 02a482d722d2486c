package io.seatkeeper.scim;

import java.net.URI;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.EqualFilter;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.utils.FilterEvaluator;
import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.license.LicenseService;
import io.seatkeeper.scim.ScimGroups.Group;
import io.seatkeeper.scim.ScimGroups.Member;
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
 * The SCIM Groups endpoint: groups with their members (users), so that a provider can
 * push memberships; a member of a mapped group ({@code seatkeeper.scim.areas}) is placed
 * in its Extranet area through the licence gate.
 */
@Controller
@RequestMapping("/scim/v2/Groups")
class ScimGroupsController {

	private static final Set<String> ATTRIBUTES = Set.of("id", "externalid", "meta", "schemas", "displayname",
			"members");

	private final ScimGroups groups;

	private final LicenseService licenses;

	ScimGroupsController(ScimGroups groups, LicenseService licenses) {
		this.groups = groups;
		this.licenses = licenses;
	}

	@PostMapping
	ResponseEntity<byte[]> createGroup(HttpServletRequest request, Principal principal) throws ScimException {
		ObjectNode body = ScimJson.read(request);
		check(body);
		Group group = recorded("scim.group", text(body, "displayName"), principal,
				() -> this.groups.create(text(body, "displayName"), text(body, "externalId"),
						memberIds(body.get("members")), principal.getName()));
		return ScimJson.created(toJson(group), URI.create(ScimJson.base() + "/Groups/" + group.id()), version(group));
	}

	@GetMapping("/{id}")
	ResponseEntity<byte[]> showGroup(@PathVariable String id, @RequestParam(required = false) String attributes,
			@RequestParam(required = false) String excludedAttributes) throws ScimException {
		Projection projection = Projection.of(attributes, excludedAttributes, ScimJson.GROUP);
		Group group = this.groups.find(parseId(id), projection.returns("members"))
			.orElseThrow(() -> new ResourceNotFoundException("No group has the id " + id));
		return ScimJson.answer(200, projection.apply(toJson(group)), null, version(group));
	}

	@GetMapping
	ResponseEntity<byte[]> listGroups(@RequestParam(required = false) String filter,
			@RequestParam(required = false) Integer startIndex, @RequestParam(required = false) Integer count,
			@RequestParam(required = false) String attributes,
			@RequestParam(required = false) String excludedAttributes) throws ScimException {
		Filter parsed = ScimUsersController.parse(filter);
		Projection projection = Projection.of(attributes, excludedAttributes, ScimJson.GROUP);
		String displayName = null;
		if (parsed instanceof EqualFilter && parsed.getComparisonValue() != null
				&& parsed.getComparisonValue().isTextual()
				&& parsed.getAttributePath().toString().equalsIgnoreCase("displayName")) {
			displayName = parsed.getComparisonValue().asText();
		}
		List<ObjectNode> matching = new ArrayList<>();
		for (Group group : this.groups.list(displayName, true)) {
			ObjectNode json = toJson(group);
			if (parsed == null || FilterEvaluator.evaluate(parsed, json)) {
				matching.add(projection.apply(json));
			}
		}
		return ScimJson.ok(ScimUsersController.list(matching, startIndex, count));
	}

	@PutMapping("/{id}")
	ResponseEntity<byte[]> replaceGroup(@PathVariable String id, HttpServletRequest request, Principal principal)
			throws ScimException {
		long groupId = parseId(id);
		ObjectNode body = ScimJson.read(request);
		check(body);
		Group group = recorded("scim.group", id, principal,
				() -> this.groups.replace(groupId, text(body, "displayName"), text(body, "externalId"),
						memberIds(body.get("members")), principal.getName()));
		return ScimJson.answer(200, toJson(group), null, version(group));
	}

	/**
	 * add, replace and remove of {@code members} (with a value, or a path such as
	 * {@code members[value eq "12"]}), of {@code displayName} and {@code externalId}, or
	 * without a path with an object of those; the group is locked while it changes.
	 */
	@PatchMapping("/{id}")
	ResponseEntity<byte[]> patchGroup(@PathVariable String id, HttpServletRequest request, Principal principal,
			@RequestParam(required = false) String excludedAttributes,
			@RequestParam(required = false) String attributes) throws ScimException {
		long groupId = parseId(id);
		ObjectNode body = ScimJson.read(request);
		Group changed = recorded("scim.group", id, principal,
				() -> this.groups.modify(groupId, (group) -> patched(group, body), principal.getName()));
		Projection projection = Projection.of(attributes, excludedAttributes, ScimJson.GROUP);
		return ScimJson.answer(200, projection.apply(toJson(changed)), null, version(changed));
	}

	/**
	 * The group as the PATCH body leaves it.
	 */
	private static ScimGroups.Wanted patched(Group group, ObjectNode body) throws ScimException {
		String displayName = group.displayName();
		String externalId = group.externalId();
		Set<String> members = new LinkedHashSet<>();
		group.members().forEach((member) -> members.add(String.valueOf(member.id())));
		JsonNode operations = body.get("Operations");
		if (operations == null || !operations.isArray() || operations.isEmpty()) {
			throw BadRequestException.invalidSyntax("A PATCH request needs a non-empty Operations array");
		}
		for (JsonNode operation : operations) {
			String op = operation.path("op").asText("").toLowerCase(Locale.ROOT);
			if (!Set.of("add", "replace", "remove").contains(op)) {
				throw BadRequestException.invalidSyntax("Each operation needs an op of add, replace or remove");
			}
			String path = operation.path("path").isTextual() ? operation.path("path").asText().strip() : "";
			JsonNode value = operation.get("value");
			if (path.isEmpty()) {
				if (op.equals("remove")) {
					throw BadRequestException.noTarget("A remove operation needs a path");
				}
				if (value == null || !value.isObject()) {
					throw BadRequestException.invalidValue("An operation without a path needs an object value");
				}
				Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
				while (fields.hasNext()) {
					Map.Entry<String, JsonNode> field = fields.next();
					String name = field.getKey().toLowerCase(Locale.ROOT);
					switch (name) {
						case "displayname" -> displayName = string(field.getValue(), "displayName");
						case "externalid" -> externalId = string(field.getValue(), "externalId");
						case "id" -> {
							// Okta repeats the group's own id: it changes nothing.
							if (!field.getValue().asText().equals(String.valueOf(group.id()))) {
								throw BadRequestException.mutability("The id of a group cannot be changed");
							}
						}
						case "members" -> {
							if (op.equals("replace")) {
								members.clear();
							}
							members.addAll(memberIds(field.getValue()));
						}
						default -> throw unknownOrReadOnly(field.getKey());
					}
				}
				continue;
			}
			String lower = path.toLowerCase(Locale.ROOT);
			if (lower.startsWith(ScimJson.GROUP.toLowerCase(Locale.ROOT) + ":")) {
				lower = lower.substring(ScimJson.GROUP.length() + 1);
				path = path.substring(ScimJson.GROUP.length() + 1);
			}
			if (lower.equals("displayname")) {
				if (op.equals("remove")) {
					throw BadRequestException.mutability("displayName is required and cannot be removed");
				}
				displayName = string(value, "displayName");
			}
			else if (lower.equals("externalid")) {
				externalId = op.equals("remove") ? null : string(value, "externalId");
			}
			else if (lower.equals("members")) {
				switch (op) {
					case "add" -> members.addAll(memberIds(value));
					case "replace" -> {
						members.clear();
						members.addAll(memberIds(value));
					}
					default -> {
						if (value == null || value.isNull()) {
							members.clear();
						}
						else {
							memberIds(value).forEach(members::remove);
						}
					}
				}
			}
			else if (lower.startsWith("members[")) {
				if (!op.equals("remove")) {
					throw BadRequestException.invalidPath("Only remove takes a filtered members path: " + path);
				}
				members.remove(memberOfFilter(path));
			}
			else {
				throw unknownOrReadOnly(path);
			}
		}
		return new ScimGroups.Wanted(displayName, externalId, new ArrayList<>(members));
	}

	/**
	 * Runs a group change; a refusal of the full pool (with {@code when-full=refuse}) is
	 * recorded once the change rolled back.
	 */
	private Group recorded(String operation, String subject, Principal principal, GroupWork work) throws ScimException {
		try {
			return work.run();
		}
		catch (LicenseLimitExceeded refusal) {
			this.licenses.recordRefusal(refusal, operation, subject, principal.getName());
			throw refusal;
		}
	}

	private interface GroupWork {

		Group run() throws ScimException;

	}

	@DeleteMapping("/{id}")
	ResponseEntity<byte[]> deleteGroup(@PathVariable String id, Principal principal) throws ScimException {
		long groupId = parseId(id);
		recorded("scim.group", id, principal, () -> {
			this.groups.delete(groupId, principal.getName());
			return null;
		});
		return ResponseEntity.noContent().build();
	}

	private static String memberOfFilter(String path) throws ScimException {
		int open = path.indexOf('[');
		int close = path.lastIndexOf(']');
		if (close < open || close != path.length() - 1) {
			throw BadRequestException.invalidPath("The path " + path + " is not valid");
		}
		Filter filter = ScimUsersController.parse(path.substring(open + 1, close));
		if (!(filter instanceof EqualFilter) || !filter.getAttributePath().toString().equalsIgnoreCase("value")
				|| filter.getComparisonValue() == null) {
			throw BadRequestException.invalidFilter("A members path filters on value eq, not " + path);
		}
		return filter.getComparisonValue().asText();
	}

	private static ScimException unknownOrReadOnly(String attribute) {
		String lower = attribute.toLowerCase(Locale.ROOT);
		if (lower.equals("id") || lower.startsWith("meta")) {
			return BadRequestException.mutability("The attribute " + attribute + " cannot be changed");
		}
		return BadRequestException.invalidPath("Groups have no attribute " + attribute);
	}

	private static void check(ObjectNode body) throws ScimException {
		Iterator<String> names = body.fieldNames();
		while (names.hasNext()) {
			String name = names.next();
			if (!ATTRIBUTES.contains(name.toLowerCase(Locale.ROOT))) {
				throw BadRequestException.invalidSyntax("Unknown attribute " + name + " of " + ScimJson.GROUP);
			}
		}
	}

	private static List<String> memberIds(JsonNode members) throws ScimException {
		List<String> ids = new ArrayList<>();
		if (members == null || members.isNull()) {
			return ids;
		}
		if (members.isObject()) {
			members = ScimJson.object().arrayNode().add(members);
		}
		if (!members.isArray()) {
			throw BadRequestException.invalidValue("members must be an array of objects with a value");
		}
		for (JsonNode member : members) {
			JsonNode value = member.get("value");
			if (value == null || !(value.isTextual() || value.isNumber())) {
				throw BadRequestException.invalidValue("Each member needs a value: the id of a user");
			}
			ids.add(value.asText());
		}
		return ids;
	}

	private static String text(ObjectNode body, String field) throws ScimException {
		JsonNode value = body.get(field);
		return (value == null || value.isNull()) ? null : string(value, field);
	}

	private static String string(JsonNode value, String field) throws ScimException {
		if (value == null || !value.isTextual()) {
			throw BadRequestException.invalidValue(field + " must be a string");
		}
		return value.asText();
	}

	private static long parseId(String id) throws ScimException {
		try {
			return Long.parseLong(id);
		}
		catch (NumberFormatException ex) {
			throw new ResourceNotFoundException("No group has the id " + id);
		}
	}

	private static String version(Group group) {
		return "W/\"" + group.version() + "\"";
	}

	static ObjectNode toJson(Group group) {
		String location = ScimJson.base() + "/Groups/" + group.id();
		ObjectNode json = ScimJson.object();
		json.putArray("schemas").add(ScimJson.GROUP);
		json.put("id", String.valueOf(group.id()));
		if (group.externalId() != null) {
			json.put("externalId", group.externalId());
		}
		json.put("displayName", group.displayName());
		if (group.members() != null) {
			ArrayNode members = json.putArray("members");
			for (Member member : group.members()) {
				ObjectNode ref = members.addObject();
				ref.put("value", String.valueOf(member.id()));
				ref.put("$ref", ScimJson.base() + "/Users/" + member.id());
				ref.put("display", member.username());
				ref.put("type", "User");
			}
		}
		json.set("meta", ScimJson.meta("Group", group.createdAt(), group.updatedAt(), version(group), location));
		return json;
	}

}
