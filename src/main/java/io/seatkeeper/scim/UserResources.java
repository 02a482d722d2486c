package io.seatkeeper.scim;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.GenericScimResource;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.messages.PatchOpType;
import com.unboundid.scim2.common.messages.PatchOperation;
import com.unboundid.scim2.common.messages.PatchRequest;
import io.seatkeeper.people.ProvisionedAccount;
import io.seatkeeper.people.ProvisionedUser;

/**
 * The SCIM User resource of a provisioned profile, both ways: a profile as JSON, and a
 * body (POST, PUT) or a PATCH as the values the profile should have. Attributes of the
 * core User schema and the enterprise extension that Seatkeeper does not keep
 * ({@code title}, {@code phoneNumbers}, {@code department} …) are accepted and not
 * stored; an attribute of no schema is refused.
 */
final class UserResources {

	/** Every attribute of the core User schema (RFC 7643, 4.1), in lower case. */
	private static final Set<String> CORE = Set.of("id", "externalid", "meta", "schemas", "username", "name",
			"displayname", "nickname", "profileurl", "title", "usertype", "preferredlanguage", "locale", "timezone",
			"active", "password", "emails", "phonenumbers", "ims", "photos", "addresses", "groups", "entitlements",
			"roles", "x509certificates");

	/** The attributes a client may not set (readOnly, or Seatkeeper's own). */
	private static final Set<String> READ_ONLY = Set.of("id", "meta", "groups", ScimJson.SEATKEEPER.toLowerCase());

	/** {@code attr[key eq "value"].sub}, as the SDK writes a path. */
	private static final Pattern FILTERED_SUB_ATTRIBUTE = Pattern.compile(
			"([A-Za-z][\\w$-]*)\\[([A-Za-z][\\w$-]*) eq \"([^\"]*)\"\\]\\.([A-Za-z][\\w$-]*)",
			Pattern.CASE_INSENSITIVE);

	private UserResources() {
	}

	/**
	 * The profile as a SCIM User, with its groups.
	 */
	static ObjectNode toJson(ProvisionedAccount account, List<GroupRef> groups) {
		String location = ScimJson.base() + "/Users/" + account.id();
		ObjectNode user = ScimJson.object();
		ArrayNode schemas = user.putArray("schemas");
		schemas.add(ScimJson.USER);
		schemas.add(ScimJson.SEATKEEPER);
		user.put("id", String.valueOf(account.id()));
		if (account.externalId() != null) {
			user.put("externalId", account.externalId());
		}
		user.put("userName", account.username());
		ObjectNode name = user.putObject("name");
		name.put("givenName", account.firstName());
		name.put("familyName", account.lastName());
		String formatted = (account.firstName() + " " + account.lastName()).strip();
		name.put("formatted", formatted);
		user.put("displayName", formatted.isEmpty() ? account.username() : formatted);
		ObjectNode email = user.putArray("emails").addObject();
		email.put("value", account.email());
		email.put("type", "work");
		email.put("primary", true);
		user.put("active", account.active());
		ArrayNode memberOf = user.putArray("groups");
		for (GroupRef group : groups) {
			ObjectNode ref = memberOf.addObject();
			ref.put("value", String.valueOf(group.id()));
			ref.put("$ref", ScimJson.base() + "/Groups/" + group.id());
			ref.put("display", group.displayName());
			ref.put("type", "direct");
		}
		ObjectNode extension = user.putObject(ScimJson.SEATKEEPER);
		extension.put("licenseState", licenseState(account));
		if (account.position() != null) {
			extension.put("position", account.position());
		}
		extension.put("area", account.area());
		user.set("meta", ScimJson.meta("User", account.createdAt(), account.updatedAt(), version(account), location));
		return user;
	}

	static String version(ProvisionedAccount account) {
		return "W/\"" + account.version() + "\"";
	}

	/**
	 * {@code ACTIVE}, {@code AWAITING_LICENSE} or {@code BLOCKED}.
	 */
	static String licenseState(ProvisionedAccount account) {
		if (account.active()) {
			return "ACTIVE";
		}
		return account.awaiting() ? "AWAITING_LICENSE" : "BLOCKED";
	}

	/**
	 * The values that a User body (POST or PUT, or the result of a PATCH) asks for.
	 * @throws ScimException 400 when an attribute is of no schema or a value is of the
	 * wrong type or missing
	 */
	static ProvisionedUser fromJson(ObjectNode body) throws ScimException {
		checkAttributes(body);
		JsonNode userName = body.get("userName");
		if (userName == null || !userName.isTextual() || userName.asText().isBlank()) {
			throw BadRequestException.invalidValue("userName is required and must be a string");
		}
		JsonNode name = body.get("name");
		String givenName = "";
		String familyName = "";
		if (name != null && !name.isNull()) {
			if (!name.isObject()) {
				throw BadRequestException.invalidValue("name must be an object");
			}
			givenName = text(name, "givenName");
			familyName = text(name, "familyName");
		}
		return new ProvisionedUser(userName.asText(), email(body.get("emails")), givenName, familyName,
				optionalText(body, "externalId"), active(body.get("active")));
	}

	/**
	 * Applies a PATCH request to the user as it is now, in the forms that SCIM clients
	 * send: operation names in any case ({@code "Replace"}), a path with a value filter
	 * ({@code emails[type eq "work"].value}), a replace without a path whose value is an
	 * object of attributes (some of them paths, such as {@code name.givenName}), and
	 * {@code "True"}/{@code "False"} as strings for {@code active}.
	 * @return the user as the PATCH leaves it
	 * @throws ScimException 400 ({@code invalidSyntax}, {@code invalidPath},
	 * {@code noTarget}, {@code mutability}, {@code invalidValue})
	 */
	static ObjectNode patch(ObjectNode current, ObjectNode body) throws ScimException {
		List<PatchOperation> operations = operations(body, current.path("id").asText());
		for (PatchOperation operation : operations) {
			if (operation.getPath() != null) {
				String attribute = attribute(operation.getPath().toString());
				if (READ_ONLY.contains(attribute)) {
					throw BadRequestException.mutability("The attribute " + attribute + " cannot be changed");
				}
			}
		}
		ObjectNode user = current.deepCopy();
		for (PatchOperation operation : operations) {
			PatchOperation fallback = addAsReplace(operation);
			if (fallback == null) {
				new PatchRequest(List.of(operation)).apply(new GenericScimResource(user));
				continue;
			}
			// Entra ID adds emails[type eq "work"].value when it changes the address:
			// the matching value is replaced, or added when none matches.
			try {
				PatchOperation.replace(operation.getPath(), operation.getJsonNode()).apply(user);
			}
			catch (BadRequestException ex) {
				if (!BadRequestException.NO_TARGET.equals(ex.getScimError().getScimType())) {
					throw ex;
				}
				fallback.apply(user);
			}
		}
		return user;
	}

	/**
	 * For an add to a sub-attribute of the values that a filter selects,
	 * {@code attr[key eq "x"].sub}: the add of a new value {@code {"key":"x","sub":…}} to
	 * use when no value matches (the add itself is then applied as a replace).
	 * {@code null} for any other operation.
	 */
	private static PatchOperation addAsReplace(PatchOperation operation) throws ScimException {
		if (operation.getOpType() != PatchOpType.ADD || operation.getPath() == null) {
			return null;
		}
		Matcher matcher = FILTERED_SUB_ATTRIBUTE.matcher(operation.getPath().toString());
		if (!matcher.matches()) {
			return null;
		}
		ObjectNode value = ScimJson.object();
		value.put(matcher.group(2), matcher.group(3));
		value.set(matcher.group(4), operation.getJsonNode());
		return PatchOperation.add(matcher.group(1), ScimJson.object().arrayNode().add(value));
	}

	/**
	 * The operations of a PATCH body of the resource {@code id}, normalized.
	 */
	static List<PatchOperation> operations(ObjectNode body, String id) throws ScimException {
		JsonNode list = body.get("Operations");
		if (list == null || !list.isArray() || list.isEmpty()) {
			throw BadRequestException.invalidSyntax("A PATCH request needs a non-empty Operations array");
		}
		List<PatchOperation> operations = new ArrayList<>();
		for (JsonNode node : list) {
			if (!node.isObject()) {
				throw BadRequestException.invalidSyntax("Each operation must be an object");
			}
			PatchOpType type = opType(node.get("op"));
			JsonNode path = node.get("path");
			JsonNode value = node.get("value");
			if (path != null && !path.isNull() && !path.isTextual()) {
				throw BadRequestException.invalidPath("path must be a string");
			}
			String pathText = (path != null && path.isTextual() && !path.asText().isBlank()) ? path.asText() : null;
			if (type == PatchOpType.REMOVE) {
				if (pathText == null) {
					throw BadRequestException.noTarget("A remove operation needs a path");
				}
				operations.add(PatchOperation.remove(pathText));
				continue;
			}
			if (value == null || value.isNull()) {
				throw BadRequestException.invalidValue("An " + type.getStringValue() + " operation needs a value");
			}
			if (pathText == null) {
				if (!value.isObject()) {
					throw BadRequestException.invalidValue(
							"An " + type.getStringValue() + " operation without a path needs an object value");
				}
				// Entra ID sends
				// {"op":"Replace","value":{"name.givenName":"…","active":false}}:
				// each key becomes an operation with that path.
				Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
				while (fields.hasNext()) {
					Map.Entry<String, JsonNode> field = fields.next();
					if (field.getKey().equalsIgnoreCase("id") && field.getValue().asText().equals(id)) {
						// Okta repeats the resource's own id: it changes nothing.
						continue;
					}
					checkWritable(field.getKey());
					operations.add(PatchOperation.create(type, field.getKey(), field.getValue()));
				}
				continue;
			}
			operations.add(PatchOperation.create(type, pathText, value));
		}
		return operations;
	}

	private static PatchOpType opType(JsonNode op) throws ScimException {
		String name = (op != null && op.isTextual()) ? op.asText().toLowerCase(Locale.ROOT) : "";
		return switch (name) {
			case "add" -> PatchOpType.ADD;
			case "replace" -> PatchOpType.REPLACE;
			case "remove" -> PatchOpType.REMOVE;
			default -> throw BadRequestException
				.invalidSyntax("Each operation needs an op of add, replace or remove, not " + op);
		};
	}

	private static void checkWritable(String path) throws ScimException {
		String attribute = attribute(path);
		if (READ_ONLY.contains(attribute)) {
			throw BadRequestException.mutability("The attribute " + attribute + " cannot be changed");
		}
	}

	/**
	 * The top-level attribute a path names, in lower case ({@code emails} for
	 * {@code emails[type eq "work"].value}; an extension's URN for a path in it).
	 */
	private static String attribute(String path) {
		String lower = path.toLowerCase(Locale.ROOT);
		for (String urn : List.of(ScimJson.SEATKEEPER, ScimJson.ENTERPRISE, ScimJson.USER)) {
			String prefix = urn.toLowerCase(Locale.ROOT);
			if (lower.startsWith(prefix)) {
				if (!urn.equals(ScimJson.USER)) {
					return prefix;
				}
				lower = lower.substring(prefix.length());
				lower = lower.startsWith(":") ? lower.substring(1) : lower;
			}
		}
		int end = lower.length();
		for (char stop : new char[] { '.', '[' }) {
			int at = lower.indexOf(stop);
			if (at >= 0 && at < end) {
				end = at;
			}
		}
		return lower.substring(0, end);
	}

	private static void checkAttributes(ObjectNode body) throws ScimException {
		Iterator<String> names = body.fieldNames();
		while (names.hasNext()) {
			String name = names.next();
			String lower = name.toLowerCase(Locale.ROOT);
			if (!CORE.contains(lower) && !lower.equals(ScimJson.ENTERPRISE.toLowerCase(Locale.ROOT))
					&& !lower.equals(ScimJson.SEATKEEPER.toLowerCase(Locale.ROOT))) {
				throw BadRequestException.invalidSyntax("Unknown attribute " + name + ": it is in no schema of "
						+ "this endpoint (" + ScimJson.USER + ", " + ScimJson.ENTERPRISE + ")");
			}
		}
		JsonNode schemas = body.get("schemas");
		if (schemas != null && !schemas.isNull()) {
			if (!schemas.isArray()) {
				throw BadRequestException.invalidSyntax("schemas must be an array");
			}
			for (JsonNode schema : schemas) {
				String urn = schema.asText();
				if (!urn.equalsIgnoreCase(ScimJson.USER) && !urn.equalsIgnoreCase(ScimJson.ENTERPRISE)
						&& !urn.equalsIgnoreCase(ScimJson.SEATKEEPER)) {
					throw BadRequestException.invalidSyntax("Unknown schema " + urn);
				}
			}
		}
	}

	/**
	 * The work e-mail address, else the primary one, else the first.
	 */
	private static String email(JsonNode emails) throws ScimException {
		if (emails == null || emails.isNull() || (emails.isArray() && emails.isEmpty())) {
			throw BadRequestException.invalidValue("emails needs at least one address (the work one is kept)");
		}
		if (!emails.isArray()) {
			throw BadRequestException.invalidValue("emails must be an array");
		}
		JsonNode chosen = null;
		for (JsonNode email : emails) {
			if (!email.isObject() || !email.path("value").isTextual()) {
				throw BadRequestException.invalidValue("Each of emails needs a value that is a string");
			}
			if ("work".equalsIgnoreCase(email.path("type").asText())) {
				chosen = email;
				break;
			}
			if (chosen == null || truthy(email.get("primary"))) {
				chosen = (chosen == null || !truthy(chosen.get("primary"))) ? email : chosen;
			}
		}
		return chosen.path("value").asText();
	}

	/**
	 * A boolean, or the strings {@code "true"}/{@code "false"} in any case (Entra ID).
	 */
	static boolean active(JsonNode active) throws ScimException {
		if (active == null || active.isNull()) {
			return true;
		}
		if (active.isBoolean()) {
			return active.booleanValue();
		}
		if (active.isTextual()) {
			String text = active.asText().strip();
			if (text.equalsIgnoreCase("true")) {
				return true;
			}
			if (text.equalsIgnoreCase("false")) {
				return false;
			}
		}
		throw BadRequestException.invalidValue("active must be true or false, not " + active);
	}

	private static boolean truthy(JsonNode node) {
		return node != null && (node.asBoolean(false) || "true".equalsIgnoreCase(node.asText()));
	}

	private static String text(JsonNode parent, String field) throws ScimException {
		JsonNode value = parent.get(field);
		if (value == null || value.isNull()) {
			return "";
		}
		if (!value.isTextual()) {
			throw BadRequestException.invalidValue(field + " must be a string");
		}
		return value.asText();
	}

	private static String optionalText(JsonNode parent, String field) throws ScimException {
		JsonNode value = parent.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isTextual()) {
			throw BadRequestException.invalidValue(field + " must be a string");
		}
		return value.asText();
	}

	/**
	 * A group the user is a member of.
	 */
	record GroupRef(long id, String displayName) {
	}

}
