package io.seatkeeper.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.jayway.jsonpath.JsonPath;
import io.seatkeeper.NewProfiles;
import io.seatkeeper.Pools;
import io.seatkeeper.people.PeopleService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The OpenAPI description of {@code /api/v1}: every endpoint that Spring MVC maps under
 * {@code /api/v1} is in it with its method, each with its success answer and its error
 * answers as RFC 9457 problems; the schemes HTTP Basic and bearer are described; and only
 * a sysadmin may read it.
 */
@SpringBootTest(properties = "seatkeeper.admin.password=built-in-secret-1")
@AutoConfigureMockMvc
class ApiDescriptionTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	PeopleService people;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	private String description;

	@BeforeEach
	void readTheDescription() throws Exception {
		this.description = this.mvc.perform(get("/v3/api-docs").with(user("admin").roles("SYSADMIN")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	@Test
	void describesEveryEndpointUnderApiV1WithItsMethod() {
		List<String> endpoints = endpoints();
		assertThat(endpoints).as("the endpoints Spring MVC maps under /api/v1")
			.contains("GET /api/v1/profiles", "GET /api/v1/profiles/{id}", "POST /api/v1/directory/sync");

		Map<String, Map<String, Object>> paths = JsonPath.read(this.description, "$.paths");
		List<String> described = new ArrayList<>();
		paths.forEach((path, operations) -> operations.keySet()
			.forEach((method) -> described.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path)));
		assertThat(described).containsAll(endpoints);
		assertThat(paths.keySet()).allMatch((path) -> path.startsWith("/api/v1/"));
	}

	@Test
	void documentsEachEndpointsErrorAnswersAsProblems() {
		for (String endpoint : endpoints()) {
			String method = endpoint.substring(0, endpoint.indexOf(' ')).toLowerCase(java.util.Locale.ROOT);
			String path = endpoint.substring(endpoint.indexOf(' ') + 1);
			Map<String, Map<String, Object>> responses = JsonPath.read(this.description,
					"$.paths['" + path + "']." + method + ".responses");
			assertThat(responses.keySet()).as(endpoint + " answers").contains("401", "403");
			assertThat(responses.keySet()).as(endpoint + " has a success answer")
				.anyMatch((code) -> code.startsWith("2"));
			responses.forEach((code, response) -> {
				assertThat(response.get("description")).as(endpoint + " " + code + " is described")
					.isInstanceOf(String.class)
					.asString()
					.isNotBlank();
				if (code.startsWith("4") || code.startsWith("5")) {
					assertThat(response).as(endpoint + " " + code + " has a body").containsKey("content");
					@SuppressWarnings("unchecked")
					Map<String, Map<String, Object>> content = (Map<String, Map<String, Object>>) response
						.get("content");
					content.forEach((type, media) -> assertThat(media.get("schema")).as(endpoint + " " + code)
						.hasToString(type.equals("application/problem+json") ? "{$ref=#/components/schemas/Problem}"
								: media.get("schema").toString())
						.asString()
						.contains("$ref=#/components/schemas/"));
					assertThat(content.keySet()).as(endpoint + " " + code + " is a problem, or a report")
						.containsAnyOf("application/problem+json", "application/json");
				}
			});
			Map<String, Object> operation = JsonPath.read(this.description, "$.paths['" + path + "']." + method);
			// Input that can be malformed: a body, or a parameter that is more than any
			// text.
			List<Map<String, Object>> parameters = operation.containsKey("parameters")
					? JsonPath.read(operation, "$.parameters[*].schema") : List.of();
			boolean takesInput = operation.containsKey("requestBody") || parameters.stream()
				.anyMatch((schema) -> !("string".equals(schema.get("type"))
						|| List.of("string").equals(schema.get("type"))) || schema.containsKey("enum")
						|| schema.containsKey("format"));
			if (takesInput) {
				assertThat(responses.keySet()).as(endpoint + " takes input, so it answers bad input").contains("400");
			}
		}
	}

	@Test
	void describesTheErrorAnswersOfTheListAsProblemsAndItsPageAsTheProfileList() {
		assertThat(JsonPath.<String>read(this.description,
				"$.paths['/api/v1/profiles'].get.responses.400.content['application/problem+json'].schema.$ref"))
			.isEqualTo("#/components/schemas/Problem");
		assertThat(JsonPath.<Map<String, Object>>read(this.description,
				"$.paths['/api/v1/profiles'].get.responses.400.content"))
			.containsOnlyKeys("application/problem+json");
		assertThat(JsonPath.<String>read(this.description,
				"$.paths['/api/v1/profiles'].get.responses.200.content['application/json'].schema.$ref"))
			.isEqualTo("#/components/schemas/ProfileList");
		assertThat(JsonPath.<String>read(this.description,
				"$.paths['/api/v1/profiles/import'].post.responses.409.content['application/json'].schema.$ref"))
			.isEqualTo("#/components/schemas/Report");
	}

	@Test
	void describesTheProblemAndBothWaysToAuthenticate() {
		assertThat(JsonPath.<String>read(this.description, "$.openapi")).startsWith("3.");
		assertThat(JsonPath.<Map<String, Object>>read(this.description, "$.components.schemas.Problem.properties"))
			.containsKeys("type", "title", "status", "detail", "instance", "code", "message", "errors");
		assertThat(JsonPath.<String>read(this.description, "$.components.securitySchemes.basic.scheme"))
			.isEqualTo("basic");
		assertThat(JsonPath.<String>read(this.description, "$.components.securitySchemes.bearer.scheme"))
			.isEqualTo("bearer");
		assertThat(JsonPath.<String>read(this.description, "$.components.securitySchemes.bearer.description"))
			.contains("Authorization: Bearer <token>");
		assertThat(JsonPath.<List<Map<String, Object>>>read(this.description, "$.security"))
			.extracting((requirement) -> requirement.keySet().iterator().next())
			.containsExactlyInAnyOrder("basic", "bearer");
	}

	@Test
	void describesTheListOfProfilesWithItsParameters() {
		List<String> names = JsonPath.read(this.description, "$.paths['/api/v1/profiles'].get.parameters[*].name");
		assertThat(names).containsExactlyInAnyOrder("q", "area", "state", "dormantDays", "after", "limit");
		assertThat(JsonPath.<List<Object>>read(this.description,
				"$.paths['/api/v1/profiles'].get.parameters[?(@.name == 'limit')].schema.maximum"))
			.singleElement()
			.hasToString("1000");
	}

	@Test
	void letsOnlySysadminsReadTheDescriptionAndItsUi() throws Exception {
		Pools.reset(this.jdbc, 5, 1);
		long clerk = this.people.create(NewProfiles.aProfile("clerk"), "admin").id();
		this.people.changeRoles(clerk, false, true, "admin");
		this.people.create(NewProfiles.aProfile("plain"), "admin");
		for (String path : List.of("/v3/api-docs", "/v3/api-docs/swagger-config", "/swagger-ui/index.html")) {
			this.mvc.perform(get(path).with(user("clerk"))).andExpect(status().isForbidden());
			this.mvc.perform(get(path).with(user("plain"))).andExpect(status().isForbidden());
			this.mvc.perform(get(path)).andExpect(status().is3xxRedirection());
		}
		this.mvc.perform(get("/swagger-ui/index.html").with(user("admin").roles("SYSADMIN")))
			.andExpect(status().isOk());
	}

	/**
	 * Each method and path pattern that Spring MVC maps under {@code /api/v1}.
	 */
	private List<String> endpoints() {
		List<String> endpoints = new ArrayList<>();
		for (RequestMappingInfo info : this.mappings.getHandlerMethods().keySet()) {
			Set<String> patterns = info.getPatternValues();
			Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
			for (String pattern : patterns) {
				if (pattern.startsWith("/api/v1/") || pattern.equals("/api/v1")) {
					assertThat(methods).as(pattern + " names its methods").isNotEmpty();
					methods.forEach((method) -> endpoints.add(method.name() + " " + pattern));
				}
			}
		}
		return endpoints;
	}

}
