package io.seatkeeper.scim;

import java.util.Map;

import io.seatkeeper.Pools;
import io.seatkeeper.license.LicenseService;
import io.seatkeeper.tokens.ApiTokens;
import io.seatkeeper.tokens.TokenScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input to the SCIM endpoint is answered in the SCIM error schema, with the status
 * and {@code scimType} that name the problem, and changes nothing; never a 500: malformed
 * JSON, attributes and schemas of no schema, values of the wrong type, a filter that does
 * not parse, a body over the 1 MiB limit, PATCH operations that cannot apply, bad paging
 * parameters, members that are no user.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "seatkeeper.scim.areas.Partners=" + ScimProviderTests.PARTNER_AREA)
@Tag("database")
class ScimBadInputTests {

	@LocalServerPort
	int port;

	@Autowired
	ApiTokens tokens;

	@Autowired
	LicenseService licenses;

	@Autowired
	JdbcTemplate jdbc;

	ScimClient client;

	@BeforeEach
	void emptyPools() {
		Pools.reset(this.jdbc, 5, 2);
		this.jdbc.update("delete from scim_group");
		this.client = ScimClient.withNewToken(this.tokens, this.port, TokenScope.SCIM);
	}

	@AfterEach
	void nothingChanged() {
		this.client.close();
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	@Test
	void refusesABodyThatIsNotAJsonObject() {
		assertError(this.client.send("POST", "/Users", "{\"userName\": "), 400, "invalidSyntax");
		assertError(this.client.send("POST", "/Users", "[]"), 400, "invalidSyntax");
		assertError(this.client.send("POST", "/Users", ""), 400, "invalidSyntax");
		assertError(this.client.send("POST", "/Users", "not json at all"), 400, "invalidSyntax");
		assertError(this.client.send("POST", "/Groups", "{\"displayName\": \"x\""), 400, "invalidSyntax");
		assertThat(scimProfiles()).isZero();
	}

	@Test
	void refusesAttributesAndSchemasOfNoSchema() {
		String unknown = ScimClient.userJson("alice@example.org", "ext-1")
			.replace("\"active\":true", "\"active\":true,\"favouriteColour\":\"red\"");
		ScimClient.Answer answer = this.client.send("POST", "/Users", unknown);
		assertError(answer, 400, "invalidSyntax");
		assertThat(answer.json().path("detail").asText()).contains("favouriteColour");

		String schema = ScimClient.userJson("alice@example.org", "ext-1")
			.replace("\"urn:ietf:params:scim:schemas:core:2.0:User\",",
					"\"urn:ietf:params:scim:schemas:core:2.0:User\",\"urn:example:params:scim:schemas:Unknown\",");
		assertError(this.client.send("POST", "/Users", schema), 400, "invalidSyntax");
		assertError(this.client.send("POST", "/Groups", "{\"displayName\":\"G\",\"owner\":\"me\"}"), 400,
				"invalidSyntax");
		assertThat(scimProfiles()).isZero();
	}

	@Test
	void refusesMissingOrMistypedValues() {
		assertError(this.client.send("POST", "/Users", "{\"emails\":[{\"value\":\"a@example.org\"}]}"), 400,
				"invalidValue");
		assertError(this.client.send("POST", "/Users", ScimClient.userJson("bad name!", "ext-1")), 400, "invalidValue");
		assertError(this.client.send("POST", "/Users",
				ScimClient.userJson("alice@example.org", "ext-1").replace("\"active\":true", "\"active\":\"maybe\"")),
				400, "invalidValue");
		assertError(
				this.client.send("POST", "/Users",
						"{\"userName\":\"alice@example.org\",\"emails\":[{\"value\":\"not-an-address\"}]}"),
				400, "invalidValue");
		assertError(this.client.send("POST", "/Users", "{\"userName\":\"alice@example.org\"}"), 400, "invalidValue");
		assertError(this.client.send("POST", "/Users", "{\"userName\":42,\"emails\":[{\"value\":\"a@example.org\"}]}"),
				400, "invalidValue");
		assertError(this.client.send("POST", "/Groups", "{\"members\":[]}"), 400, "invalidValue");
		assertThat(scimProfiles()).isZero();
	}

	@Test
	void refusesAFilterThatDoesNotParse() {
		for (String filter : new String[] { "userName%20eq", "userName%20xx%20%22a%22", "((", "%22unclosed",
				"userName%20eq%20%22a%22%20and" }) {
			assertError(this.client.send("GET", "/Users?filter=" + filter, null), 400, "invalidFilter");
		}
		assertError(this.client.send("GET", "/Groups?filter=displayName%20eq", null), 400, "invalidFilter");
	}

	@Test
	void refusesABodyOverTheLimit() {
		String large = ScimClient.userJson("alice@example.org", "ext-1")
			.replace("\"title\":\"Tester\"", "\"title\":\"" + "x".repeat(ScimJson.MAX_BODY) + "\"");
		ScimClient.Answer answer = this.client.send("POST", "/Users", large);
		assertThat(answer.status()).isEqualTo(413);
		assertThat(answer.json().path("schemas").get(0).asText())
			.isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
		assertThat(scimProfiles()).isZero();
	}

	@Test
	void refusesPatchOperationsThatCannotApply() {
		ScimClient.Answer created = this.client.send("POST", "/Users",
				ScimClient.userJson("alice@example.org", "ext-1"));
		String path = "/Users/" + created.json().path("id").asText();

		assertError(
				this.client.send("PATCH", path, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"]}"),
				400, "invalidSyntax");
		assertError(this.client.send("PATCH", path, patch("{\"op\":\"move\",\"path\":\"active\",\"value\":false}")),
				400, "invalidSyntax");
		assertError(this.client.send("PATCH", path, patch("{\"op\":\"replace\",\"path\":\"id\",\"value\":\"7\"}")), 400,
				"mutability");
		assertError(this.client.send("PATCH", path, patch("{\"op\":\"Replace\",\"value\":{\"groups\":[]}}")), 400,
				"mutability");
		assertError(this.client.send("PATCH", path, patch("{\"op\":\"remove\"}")), 400, "noTarget");
		assertError(this.client.send("PATCH", path, patch("{\"op\":\"remove\",\"path\":\"userName\"}")), 400,
				"invalidValue");
		assertError(this.client.send("PATCH", path, patch("{\"op\":\"add\",\"path\":\"shoeSize\",\"value\":42}")), 400,
				"invalidSyntax");
		assertError(this.client.send("PATCH", path, patch("{\"op\":\"replace\",\"path\":\"active\",\"value\":\"no\"}")),
				400, "invalidValue");
		assertError(
				this.client.send("PATCH", path, patch("{\"op\":\"replace\",\"path\":\"emails[type eq\",\"value\":1}")),
				400, null);
		assertThat(this.jdbc.queryForObject("select state from profile where username_key = 'alice@example.org'",
				String.class))
			.isEqualTo("ACTIVE");
	}

	@Test
	void refusesBadPagingAndUnknownMembers() {
		assertError(this.client.send("GET", "/Users?startIndex=abc", null), 400, "invalidValue");
		assertError(this.client.send("GET", "/Users?count=1.5", null), 400, "invalidValue");

		ScimClient.Answer group = this.client.send("POST", "/Groups",
				"{\"displayName\":\"Partners\",\"members\":[{\"value\":\"999999\"}]}");
		assertError(group, 400, "invalidValue");
		assertError(
				this.client.send("POST", "/Groups", "{\"displayName\":\"Partners\",\"members\":[{\"value\":\"x\"}]}"),
				400, "invalidValue");

		assertThat(this.client.send("POST", "/Groups", "{\"displayName\":\"Partners\"}").status()).isEqualTo(201);
		assertError(this.client.send("POST", "/Groups", "{\"displayName\":\"PARTNERS\"}"), 409, "uniqueness");
	}

	@Test
	void answersAnUnknownEndpointOrMethodInTheErrorSchema() {
		assertError(this.client.send("GET", "/Bulk", null), 404, null);
		assertError(this.client.send("DELETE", "/ServiceProviderConfig", null), 404, null);
		assertError(this.client.send("PUT", "/Users", "{}"), 404, null);
	}

	@Test
	void refusesAnExternalIdThatAnotherUserHas() {
		assertThat(this.client.send("POST", "/Users", ScimClient.userJson("alice@example.org", "ext-1")).status())
			.isEqualTo(201);
		assertError(this.client.send("POST", "/Users", ScimClient.userJson("bob@example.org", "ext-1")), 409,
				"uniqueness");
		assertThat(scimProfiles()).isEqualTo(1);
	}

	private static String patch(String operation) {
		return "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[" + operation + "]}";
	}

	private int scimProfiles() {
		return this.jdbc.queryForObject("select count(*) from profile where source = 'SCIM'", Integer.class);
	}

	private static void assertError(ScimClient.Answer answer, int status, String scimType) {
		assertThat(answer.status()).as(answer.body()).isEqualTo(status);
		assertThat(answer.contentType()).startsWith("application/scim+json");
		assertThat(answer.json().path("schemas").get(0).asText())
			.isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
		assertThat(answer.json().path("status").asText()).isEqualTo(String.valueOf(status));
		if (scimType != null) {
			assertThat(answer.scimType()).as(answer.body()).isEqualTo(scimType);
		}
	}

}
