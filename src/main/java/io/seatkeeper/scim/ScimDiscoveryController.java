package io.seatkeeper.scim;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * What a SCIM client discovers before it provisions (RFC 7644, 4): the service provider's
 * configuration, its resource types and their schemas, with the attributes this endpoint
 * keeps.
 */
@Controller
@RequestMapping("/scim/v2")
class ScimDiscoveryController {

	private static final String CONFIG = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

	private static final String RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";

	private static final String SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";

	@GetMapping("/ServiceProviderConfig")
	ResponseEntity<byte[]> showConfig() {
		ObjectNode config = ScimJson.object();
		config.putArray("schemas").add(CONFIG);
		config.put("documentationUri", "https://datatracker.ietf.org/doc/html/rfc7644");
		config.putObject("patch").put("supported", true);
		config.putObject("bulk").put("supported", false).put("maxOperations", 0).put("maxPayloadSize", 0);
		config.putObject("filter").put("supported", true).put("maxResults", ScimUsersController.MAX_RESULTS);
		config.putObject("changePassword").put("supported", false);
		config.putObject("sort").put("supported", false);
		config.putObject("etag").put("supported", false);
		ObjectNode bearer = config.putArray("authenticationSchemes").addObject();
		bearer.put("type", "oauthbearertoken");
		bearer.put("name", "Bearer token");
		bearer.put("description",
				"A token with the SCIM scope, created by a sysadmin at /admin/system/tokens, as Authorization: Bearer");
		bearer.put("primary", true);
		config.set("meta",
				ScimJson.meta("ServiceProviderConfig", null, null, null, ScimJson.base() + "/ServiceProviderConfig"));
		return ScimJson.ok(config);
	}

	@GetMapping("/ResourceTypes")
	ResponseEntity<byte[]> listResourceTypes() {
		return ScimJson.ok(ScimUsersController.list(List.of(userType(), groupType()), 1, null));
	}

	@GetMapping("/ResourceTypes/{name}")
	ResponseEntity<byte[]> showResourceType(@PathVariable String name) throws ScimException {
		if (name.equalsIgnoreCase("User")) {
			return ScimJson.ok(userType());
		}
		if (name.equalsIgnoreCase("Group")) {
			return ScimJson.ok(groupType());
		}
		throw new ResourceNotFoundException("No resource type is named " + name);
	}

	@GetMapping("/Schemas")
	ResponseEntity<byte[]> listSchemas() {
		return ScimJson.ok(ScimUsersController.list(schemas(), 1, null));
	}

	@GetMapping("/Schemas/{id}")
	ResponseEntity<byte[]> showSchema(@PathVariable String id) throws ScimException {
		return ScimJson.ok(schemas().stream()
			.filter((schema) -> schema.path("id").asText().equalsIgnoreCase(id))
			.findFirst()
			.orElseThrow(() -> new ResourceNotFoundException("No schema has the id " + id)));
	}

	/**
	 * Any other path under {@code /scim/v2} (or a method an endpoint does not take): a
	 * SCIM error, not the console's.
	 */
	@RequestMapping("/**")
	ResponseEntity<byte[]> unknownEndpoint(HttpServletRequest request) {
		return ScimJson.error(404, null, "This SCIM endpoint has no " + request.getMethod() + " "
				+ request.getRequestURI().substring(request.getContextPath().length()));
	}

	private static ObjectNode userType() {
		ObjectNode type = resourceType("User", "/Users", ScimJson.USER, "A person: a Seatkeeper profile");
		ArrayNode extensions = type.putArray("schemaExtensions");
		extensions.addObject().put("schema", ScimJson.ENTERPRISE).put("required", false);
		extensions.addObject().put("schema", ScimJson.SEATKEEPER).put("required", false);
		return type;
	}

	private static ObjectNode groupType() {
		return resourceType("Group", "/Groups", ScimJson.GROUP, "A group of users; a mapped group is an area");
	}

	private static ObjectNode resourceType(String name, String endpoint, String schema, String description) {
		ObjectNode type = ScimJson.object();
		type.putArray("schemas").add(RESOURCE_TYPE);
		type.put("id", name);
		type.put("name", name);
		type.put("endpoint", endpoint);
		type.put("description", description);
		type.put("schema", schema);
		type.set("meta", ScimJson.meta("ResourceType", null, null, null, ScimJson.base() + "/ResourceTypes/" + name));
		return type;
	}

	private static List<ObjectNode> schemas() {
		List<ObjectNode> schemas = new ArrayList<>();
		ObjectNode user = schema(ScimJson.USER, "User", "User Account");
		ArrayNode attributes = user.putArray("attributes");
		attributes.add(attribute("userName", "string", true, "readWrite", "server", false).put("description",
				"The username: letters, digits and . _ @ -; unique, ignoring case"));
		ObjectNode name = attribute("name", "complex", false, "readWrite", "none", false);
		ArrayNode nameParts = name.putArray("subAttributes");
		nameParts.add(attribute("givenName", "string", false, "readWrite", "none", false));
		nameParts.add(attribute("familyName", "string", false, "readWrite", "none", false));
		nameParts.add(attribute("formatted", "string", false, "readOnly", "none", false));
		attributes.add(name);
		attributes.add(attribute("displayName", "string", false, "readOnly", "none", false));
		ObjectNode emails = attribute("emails", "complex", true, "readWrite", "none", true);
		ArrayNode emailParts = emails.putArray("subAttributes");
		emailParts.add(attribute("value", "string", true, "readWrite", "none", false));
		emailParts.add(attribute("type", "string", false, "readWrite", "none", false));
		emailParts.add(attribute("primary", "boolean", false, "readWrite", "none", false));
		emails.put("description", "The work (else the primary, else the first) address is kept");
		attributes.add(emails);
		attributes.add(attribute("active", "boolean", false, "readWrite", "none", false).put("description",
				"false blocks the profile and frees its licence; true activates it through the gate"));
		ObjectNode groups = attribute("groups", "complex", false, "readOnly", "none", true);
		ArrayNode groupParts = groups.putArray("subAttributes");
		groupParts.add(attribute("value", "string", false, "readOnly", "none", false));
		groupParts.add(attribute("display", "string", false, "readOnly", "none", false));
		attributes.add(groups);
		schemas.add(user);

		ObjectNode group = schema(ScimJson.GROUP, "Group", "Group");
		ArrayNode groupAttributes = group.putArray("attributes");
		groupAttributes.add(attribute("displayName", "string", true, "readWrite", "server", false));
		ObjectNode members = attribute("members", "complex", false, "readWrite", "none", true);
		ArrayNode memberParts = members.putArray("subAttributes");
		memberParts.add(attribute("value", "string", false, "immutable", "none", false));
		memberParts.add(attribute("display", "string", false, "readOnly", "none", false));
		memberParts.add(attribute("type", "string", false, "immutable", "none", false));
		groupAttributes.add(members);
		schemas.add(group);

		ObjectNode seatkeeper = schema(ScimJson.SEATKEEPER, "Seatkeeper User",
				"Where the profile stands with its licence");
		ArrayNode extension = seatkeeper.putArray("attributes");
		extension.add(attribute("licenseState", "string", false, "readOnly", "none", false).put("description",
				"ACTIVE, AWAITING_LICENSE (blocked until a licence of its pool is free) or BLOCKED"));
		extension.add(attribute("position", "integer", false, "readOnly", "none", false).put("description",
				"The place in its pool's queue, from 1, while it awaits a licence"));
		extension.add(attribute("area", "string", false, "readOnly", "none", false).put("description",
				"The area the profile is in (from its mapped groups)"));
		schemas.add(seatkeeper);
		return schemas;
	}

	private static ObjectNode schema(String id, String name, String description) {
		ObjectNode schema = ScimJson.object();
		schema.putArray("schemas").add(SCHEMA);
		schema.put("id", id);
		schema.put("name", name);
		schema.put("description", description);
		schema.set("meta", ScimJson.meta("Schema", null, null, null, ScimJson.base() + "/Schemas/" + id));
		return schema;
	}

	private static ObjectNode attribute(String name, String type, boolean required, String mutability,
			String uniqueness, boolean multiValued) {
		ObjectNode attribute = ScimJson.object();
		attribute.put("name", name);
		attribute.put("type", type);
		attribute.put("multiValued", multiValued);
		attribute.put("required", required);
		attribute.put("caseExact", false);
		attribute.put("mutability", mutability);
		attribute.put("returned", "default");
		attribute.put("uniqueness", uniqueness);
		return attribute;
	}

}
