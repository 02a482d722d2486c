package io.seatkeeper.scim;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.messages.ErrorResponse;
import com.unboundid.scim2.common.utils.JsonUtils;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Reads and writes SCIM bodies with the SCIM SDK's own JSON mapper (Jackson 2), never
 * through the application's message converters: a body is read as bytes, at most
 * {@link #MAX_BODY} of them, and written as bytes of {@code application/scim+json}.
 */
final class ScimJson {

	/** The SCIM media type. */
	static final MediaType SCIM = MediaType.parseMediaType("application/scim+json");

	/** The largest request body read: 1 MiB (the ServiceProviderConfig says so too). */
	static final int MAX_BODY = 1024 * 1024;

	/** The core User schema. */
	static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";

	/** The core Group schema. */
	static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

	/** The enterprise User extension (accepted, not stored). */
	static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

	/** Seatkeeper's User extension: where the profile stands with its licence. */
	static final String SEATKEEPER = "urn:seatkeeper:params:scim:schemas:extension:2.0:User";

	/** The PATCH request message. */
	static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

	/** The list response message. */
	static final String LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

	private ScimJson() {
	}

	/**
	 * The request's body as a JSON object.
	 * @throws ScimException 413 when it is larger than {@link #MAX_BODY}, 400
	 * {@code invalidSyntax} when it is not a JSON object
	 */
	static ObjectNode read(HttpServletRequest request) throws ScimException {
		byte[] body;
		try (InputStream in = request.getInputStream()) {
			body = in.readNBytes(MAX_BODY + 1);
		}
		catch (IOException ex) {
			throw BadRequestException.invalidSyntax("The request body could not be read");
		}
		if (body.length > MAX_BODY) {
			throw new ScimException(413, null, "The request body is larger than " + MAX_BODY + " bytes (1 MiB)");
		}
		if (body.length == 0) {
			throw BadRequestException.invalidSyntax("The request has no body; a JSON object is expected");
		}
		JsonNode node;
		try {
			node = JsonUtils.getObjectReader().readTree(body);
		}
		catch (IOException ex) {
			throw BadRequestException.invalidSyntax("The request body is not valid JSON: " + shortMessage(ex));
		}
		if (node == null || !node.isObject()) {
			throw BadRequestException.invalidSyntax("The request body must be a JSON object");
		}
		return (ObjectNode) node;
	}

	static ResponseEntity<byte[]> ok(JsonNode body) {
		return answer(200, body, null, null);
	}

	static ResponseEntity<byte[]> created(JsonNode body, URI location, String version) {
		return answer(201, body, location, version);
	}

	static ResponseEntity<byte[]> answer(int status, JsonNode body, URI location, String version) {
		ResponseEntity.BodyBuilder answer = ResponseEntity.status(status).contentType(SCIM);
		if (location != null) {
			answer.header(HttpHeaders.LOCATION, location.toString());
		}
		if (version != null) {
			answer.eTag(version);
		}
		return answer.body(bytes(body));
	}

	static ResponseEntity<byte[]> error(int status, String scimType, String detail) {
		ErrorResponse error = new ErrorResponse(status);
		error.setScimType(scimType);
		error.setDetail(detail);
		return ResponseEntity.status(status).contentType(SCIM).body(bytes(JsonUtils.valueToNode(error)));
	}

	static byte[] bytes(JsonNode body) {
		try {
			return JsonUtils.getObjectWriter().writeValueAsBytes(body);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("A SCIM answer could not be written", ex);
		}
	}

	static ObjectNode object() {
		return JsonUtils.getJsonNodeFactory().objectNode();
	}

	/**
	 * The base URL of the SCIM endpoint as the client called it, for {@code location}s.
	 */
	static String base() {
		return ServletUriComponentsBuilder.fromCurrentContextPath().path("/scim/v2").toUriString();
	}

	static ObjectNode meta(String resourceType, Instant created, Instant lastModified, String version,
			String location) {
		ObjectNode meta = object();
		meta.put("resourceType", resourceType);
		if (created != null) {
			meta.put("created", created.toString());
		}
		if (lastModified != null) {
			meta.put("lastModified", lastModified.toString());
		}
		if (version != null) {
			meta.put("version", version);
		}
		meta.put("location", location);
		return meta;
	}

	private static String shortMessage(IOException ex) {
		String message = String.valueOf(ex.getMessage());
		int end = message.indexOf('\n');
		message = (end > 0) ? message.substring(0, end) : message;
		return (message.length() > 200) ? message.substring(0, 200) : message;
	}

}
