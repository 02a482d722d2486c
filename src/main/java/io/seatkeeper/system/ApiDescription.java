package io.seatkeeper.system;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MapSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI 3 description of {@code /api/v1}, generated from the controllers: the two
 * ways to authenticate (HTTP Basic for people, a bearer API token for scripts), the RFC
 * 9457 problem that every error answer is, and the answers every endpoint may give (401,
 * 403; 400 when it takes input, 404 when it names a record) on top of those its
 * controller documents. Served to sysadmins only, at {@code /v3/api-docs} with its UI at
 * {@code /swagger-ui/index.html}.
 */
@Configuration(proxyBeanMethods = false)
class ApiDescription {

	/** The name of the problem schema among the description's components. */
	static final String PROBLEM = "Problem";

	static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

	@Bean
	OpenAPI seatkeeperApi() {
		return new OpenAPI()
			.info(new Info().title("Seatkeeper API")
				.version("v1")
				.description("Profiles, licences, people upload and export, and the directory sync, for automation. "
						+ "Every path that can make a profile active passes the same licence check as the console. "
						+ "Every error answer is an RFC 9457 problem (`application/problem+json`) whose `message` "
						+ "is readable text and whose `code` is stable (the key of that text)."))
			.components(new Components()
				.addSecuritySchemes("basic",
						new SecurityScheme().type(SecurityScheme.Type.HTTP)
							.scheme("basic")
							.description("The username and password of a profile with the endpoint's role "
									+ "(PEOPLE_ADMIN or SYSADMIN)."))
				.addSecuritySchemes("bearer",
						new SecurityScheme().type(SecurityScheme.Type.HTTP)
							.scheme("bearer")
							.bearerFormat("opaque")
							.description("An API token that a sysadmin created at /admin/system/tokens, sent as "
									+ "`Authorization: Bearer <token>`; its scopes (API_READ, API_WRITE) say what "
									+ "it may do."))
				.addSchemas(PROBLEM, problemSchema()))
			.security(List.of(new SecurityRequirement().addList("basic"), new SecurityRequirement().addList("bearer")));
	}

	/**
	 * Every operation answers 401 and 403 as problems, and any error answer that its
	 * controller documents without a body is a problem.
	 */
	@Bean
	OperationCustomizer problemAnswers() {
		return (operation, handlerMethod) -> {
			ApiResponses responses = (operation.getResponses() != null) ? operation.getResponses() : new ApiResponses();
			responses.computeIfAbsent("401", (code) -> new ApiResponse()
				.description("No credentials, or wrong ones (the WWW-Authenticate header says how to send them)"));
			responses.computeIfAbsent("403",
					(code) -> new ApiResponse().description("The credentials lack the role or scope this needs"));
			// An endpoint whose controller documents no error answers still says that bad
			// input is a 400 and a missing record a 404, as every endpoint answers them.
			boolean takesInput = operation.getRequestBody() != null || (operation.getParameters() != null
					&& operation.getParameters().stream().anyMatch((parameter) -> !anyText(parameter.getSchema())));
			if (takesInput) {
				responses.computeIfAbsent("400", (code) -> new ApiResponse()
					.description("The request is malformed or invalid: errors names each field or parameter at fault"));
			}
			if (operation.getParameters() != null
					&& operation.getParameters().stream().anyMatch((parameter) -> "path".equals(parameter.getIn()))) {
				responses.computeIfAbsent("404", (code) -> new ApiResponse().description("No record has this id"));
			}
			// An error answer whose annotation names no body is a problem (springdoc
			// would
			// give it the success answer's body).
			Set<String> withBody = new HashSet<>();
			for (io.swagger.v3.oas.annotations.responses.ApiResponse documented : handlerMethod.getMethod()
				.getAnnotationsByType(io.swagger.v3.oas.annotations.responses.ApiResponse.class)) {
				if (documented.content().length > 0) {
					withBody.add(documented.responseCode());
				}
			}
			responses.forEach((code, response) -> {
				if ((code.startsWith("4") || code.startsWith("5")) && !withBody.contains(code)) {
					response.setContent(problemContent());
				}
			});
			operation.setResponses(responses);
			return operation;
		};
	}

	/**
	 * Whether any text is a valid value of the schema (so that no value is a 400).
	 */
	private static boolean anyText(Schema<?> schema) {
		if (schema == null) {
			return true;
		}
		boolean text = "string".equals(schema.getType())
				|| (schema.getTypes() != null && schema.getTypes().equals(Set.of("string")));
		return text && schema.getEnum() == null && schema.getFormat() == null && schema.getPattern() == null;
	}

	private static Content problemContent() {
		return new Content().addMediaType(PROBLEM_JSON,
				new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
	}

	@SuppressWarnings("rawtypes")
	private static Schema<?> problemSchema() {
		Map<String, Schema> properties = new java.util.LinkedHashMap<>();
		properties.put("type",
				new StringSchema()
					.description("A URI naming the kind of problem; about:blank when " + "the status says it all")
					.example("urn:seatkeeper:problem:license-limit-exceeded"));
		properties.put("title", new StringSchema().description("A short summary of the kind of problem"));
		properties.put("status", new IntegerSchema().description("The HTTP status"));
		properties.put("detail", new StringSchema().description("What went wrong, for a person to read"));
		properties.put("instance", new StringSchema().description("The path of the request"));
		properties.put("code",
				new StringSchema().description("The stable code of the problem (the key of its text), for scripts")
					.example("license.full"));
		properties.put("message", new StringSchema().description("The readable text, the same as detail"));
		properties.put("errors", new MapSchema().additionalProperties(new StringSchema())
			.description("For invalid input: each field or parameter at fault, with what is wrong with it"));
		properties.put("pool", new StringSchema().description("When no licence is free: the pool (PRIMARY, EXTRANET)"));
		properties.put("max", new IntegerSchema().description("When no licence is free: the pool's maximum"));
		properties.put("active", new IntegerSchema().description("When no licence is free: its active profiles"));
		properties.put("available", new IntegerSchema().description("When no licence is free: its free licences"));
		properties.put("expired", new StringSchema().description("When the licence expired: the day it did"));
		properties.put("accepted", new io.swagger.v3.oas.models.media.ArraySchema().items(new StringSchema())
			.description("For an unsupported content type: the types the endpoint takes"));
		properties.put("runningId", new StringSchema().description("When a directory sync runs already: its id"));
		ObjectSchema schema = new ObjectSchema();
		schema.setProperties(properties);
		schema.setRequired(List.of("type", "title", "status", "code", "message"));
		schema.setAdditionalProperties(Boolean.TRUE);
		schema.description("An RFC 9457 problem: every error answer of the API");
		return schema;
	}

}
