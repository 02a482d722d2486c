package io.seatkeeper.scim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.jakarta.rs.json.JacksonJsonProvider;
import com.unboundid.scim2.client.ScimService;
import com.unboundid.scim2.common.utils.JsonUtils;
import io.seatkeeper.tokens.ApiTokens;
import io.seatkeeper.tokens.TokenScope;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.ClientRequestFilter;
import org.glassfish.jersey.apache5.connector.Apache5ConnectorProvider;
import org.glassfish.jersey.client.ClientConfig;

/**
 * A SCIM client of the application on its port, with a bearer token of its own: the
 * UnboundID SCIM 2 client ({@link ScimService}, over Jersey), and plain HTTP for the
 * bodies that a provider sends in forms the typed client cannot (fixtures, bad input).
 */
final class ScimClient implements AutoCloseable {

	private static final AtomicInteger tokens = new AtomicInteger();

	private final String base;

	private final String token;

	private final String name;

	private final Client client;

	private final ScimService service;

	private final HttpClient http = HttpClient.newHttpClient();

	private ScimClient(int port, String name, String token) {
		this.base = "http://localhost:" + port + "/scim/v2";
		this.name = name;
		this.token = token;
		ClientConfig config = new ClientConfig();
		config.register(new JacksonJsonProvider(JsonUtils.createObjectMapper()));
		config.connectorProvider(new Apache5ConnectorProvider());
		this.client = ClientBuilder.newClient(config);
		this.service = new ScimService(this.client.target(this.base)
			.register((ClientRequestFilter) (request) -> request.getHeaders()
				.putSingle("Authorization", "Bearer " + token)));
	}

	/**
	 * A client with a new token of the given scopes.
	 */
	static ScimClient withNewToken(ApiTokens apiTokens, int port, TokenScope... scopes) {
		String name = "scim-" + tokens.incrementAndGet();
		return new ScimClient(port, name, apiTokens.create(name, Set.of(scopes), null, "admin").token());
	}

	ScimService scim() {
		return this.service;
	}

	/**
	 * The audit actor of this client's changes.
	 */
	String actor() {
		return "token:" + this.name;
	}

	Answer send(String method, String path, String body) {
		return send(method, path, body, this.token);
	}

	Answer send(String method, String path, String body, String bearer) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody())
			.header("Accept", "application/scim+json");
		if (body != null) {
			request.header("Content-Type", "application/scim+json");
		}
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
					response.headers().firstValue("WWW-Authenticate").orElse(null), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A fixture from {@code src/test/resources/scim/}, its {@code {placeholders}} filled.
	 */
	static String fixture(String name, Map<String, String> values) {
		try (InputStream in = ScimClient.class.getResourceAsStream("/scim/" + name)) {
			String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			for (Map.Entry<String, String> value : values.entrySet()) {
				text = text.replace("{" + value.getKey() + "}", value.getValue());
			}
			return text;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String userJson(String userName, String externalId) {
		return """
				{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
				  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
				 "userName":"%s","externalId":"%s","active":true,
				 "name":{"givenName":"Given","familyName":"Family"},
				 "emails":[{"primary":true,"type":"work","value":"%s"}],
				 "title":"Tester","meta":{"resourceType":"User"},
				 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Test"}}"""
			.formatted(userName, externalId, userName);
	}

	@Override
	public void close() {
		this.client.close();
	}

	/**
	 * An HTTP answer.
	 */
	record Answer(int status, String contentType, String wwwAuthenticate, String body) {

		JsonNode json() {
			try {
				return JsonUtils.getObjectReader().readTree(this.body);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		String scimType() {
			return json().path("scimType").asText(null);
		}

	}

}
