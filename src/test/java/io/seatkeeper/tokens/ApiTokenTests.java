package io.seatkeeper.tokens;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.seatkeeper.Pools;
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
 * Tokens from outside, over HTTP: a sysadmin creates one (its secret answered once, only
 * its hash kept), a script uses it as {@code Authorization: Bearer} within its scopes,
 * its last use is recorded, and a revoked, expired, unknown or malformed token is refused
 * with a 401 that says so; bad requests are answered with problems naming the field;
 * every creation and revocation is audited. On H2 and PostgreSQL.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "seatkeeper.admin.password=" + ApiTokenTests.ADMIN_PASSWORD)
@Tag("database")
class ApiTokenTests {

	static final String ADMIN_PASSWORD = "built-in-secret-1";

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ApiTokens tokens;

	private final HttpClient http = HttpClient.newHttpClient();

	@BeforeEach
	void clean() {
		Pools.reset(this.jdbc, 10, 5);
		this.jdbc.update("delete from api_token");
		this.jdbc.update("delete from audit_event");
	}

	@Test
	void aSysadminCreatesATokenThatAScriptThenUses() throws Exception {
		HttpResponse<String> created = send("POST", "/api/v1/tokens",
				"{\"name\":\"nightly-report\",\"scopes\":[\"API_READ\"],\"expiresOn\":\"2999-12-31\"}", basic());

		assertThat(created.statusCode()).isEqualTo(201);
		String secret = JsonPath.read(created.body(), "$.token");
		Integer id = JsonPath.read(created.body(), "$.id");
		assertThat(secret).startsWith(ApiTokens.PREFIX).hasSize(47);
		assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/tokens/" + id);
		assertThat(JsonPath.<String>read(created.body(), "$.name")).isEqualTo("nightly-report");
		assertThat(JsonPath.<List<String>>read(created.body(), "$.scopes")).containsExactly("API_READ");
		assertThat(JsonPath.<String>read(created.body(), "$.expiresOn")).isEqualTo("2999-12-31");
		// Only the hash is kept: no column holds the secret.
		Map<String, Object> row = this.jdbc.queryForMap("select * from api_token where id = ?", id);
		assertThat(row.values()).noneMatch((value) -> value != null && value.toString().contains(secret.substring(4)));
		assertThat(row.get("secret_hash").toString()).hasSize(64);
		assertThat(row.get("last_used_at")).isNull();

		HttpResponse<String> license = send("GET", "/api/v1/license", null, bearer(secret));
		assertThat(license.statusCode()).isEqualTo(200);
		assertThat(license.body()).contains("PRIMARY");
		assertThat(this.jdbc.queryForObject("select last_used_at from api_token where id = ?", Object.class, id))
			.isNotNull();

		HttpResponse<String> list = send("GET", "/api/v1/tokens", null, basic());
		assertThat(list.statusCode()).isEqualTo(200);
		assertThat(list.body()).doesNotContain(secret);
		assertThat(JsonPath.<List<String>>read(list.body(), "$.tokens[*].name")).containsExactly("nightly-report");
		assertThat(JsonPath.<String>read(list.body(), "$.tokens[0].lastUsedAt")).isNotNull();
		assertThat(JsonPath.<String>read(list.body(), "$.tokens[0].state")).isEqualTo("ACTIVE");
		assertThat(JsonPath.<String>read(list.body(), "$.tokens[0].hint")).isEqualTo(secret.substring(0, 8));
		assertThat(audit("TOKEN_CREATED"))
			.containsExactly("admin: token=nightly-report, id=" + id + ", scopes=[API_READ], expires=2999-12-31");
	}

	@Test
	void aTokenDoesOnlyWhatItsScopesAllow() throws Exception {
		String reader = this.tokens.create("reader", java.util.Set.of(TokenScope.API_READ), null, "admin").token();
		String writer = this.tokens.create("writer", java.util.Set.of(TokenScope.API_WRITE), null, "admin").token();
		String scim = this.tokens.create("entra", java.util.Set.of(TokenScope.SCIM), null, "admin").token();
		String profile = "{\"username\":\"jdoe\",\"email\":\"jdoe@example.org\",\"firstName\":\"Jo\",\"lastName\":\"Doe\"}";

		assertThat(send("POST", "/api/v1/profiles", profile, bearer(reader)).statusCode()).isEqualTo(403);
		HttpResponse<String> added = send("POST", "/api/v1/profiles", profile, bearer(writer));
		assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
		String path = added.headers().firstValue("Location").orElseThrow();
		assertThat(send("GET", path, null, bearer(reader)).statusCode()).isEqualTo(200);
		assertThat(send("GET", path, null, bearer(writer)).statusCode()).isEqualTo(200);
		assertThat(send("GET", "/api/v1/profiles.csv", null, bearer(reader)).statusCode()).isEqualTo(200);
		assertThat(send("POST", path + "/block", null, bearer(reader)).statusCode()).isEqualTo(403);
		// A SCIM token is for SCIM only.
		assertThat(send("GET", "/api/v1/license", null, bearer(scim)).statusCode()).isEqualTo(403);
		assertThat(send("GET", path, null, bearer(scim)).statusCode()).isEqualTo(403);
		// No token manages tokens or the directory, whatever its scopes.
		assertThat(send("GET", "/api/v1/tokens", null, bearer(writer)).statusCode()).isEqualTo(403);
		assertThat(
				send("POST", "/api/v1/tokens", "{\"name\":\"x\",\"scopes\":[\"SCIM\"]}", bearer(writer)).statusCode())
			.isEqualTo(403);
		assertThat(send("POST", "/api/v1/directory/sync", null, bearer(writer)).statusCode()).isEqualTo(403);
		// The token's name is the actor of what it did.
		assertThat(audit("PROFILE_CREATED")).singleElement().asString().startsWith("token:writer: ");
		assertThat(this.jdbc.queryForObject("select count(*) from profile where username = 'jdoe'", Integer.class))
			.isOne();
	}

	@Test
	void aRevokedExpiredUnknownOrMalformedTokenIsRefusedWithA401ThatSaysWhy() throws Exception {
		CreatedToken revoked = this.tokens.create("old-script", java.util.Set.of(TokenScope.API_READ), null, "admin");
		CreatedToken expired = this.tokens.create("temp", java.util.Set.of(TokenScope.API_READ), null, "admin");
		this.jdbc.update("update api_token set expires_on = ? where id = ?", java.sql.Date.valueOf("2020-01-31"),
				expired.id());
		assertThat(send("GET", "/api/v1/license", null, bearer(revoked.token())).statusCode()).isEqualTo(200);

		HttpResponse<String> revocation = send("DELETE", "/api/v1/tokens/" + revoked.id(), null, basic());
		assertThat(revocation.statusCode()).isEqualTo(204);
		// Revoking again changes nothing and is audited once.
		assertThat(send("DELETE", "/api/v1/tokens/" + revoked.id(), null, basic()).statusCode()).isEqualTo(204);
		assertThat(audit("TOKEN_REVOKED")).containsExactly("admin: token=old-script, id=" + revoked.id());

		assertRefused(revoked.token(), "The token was revoked");
		assertRefused(expired.token(), "The token expired on 2020-01-31");
		assertRefused(ApiTokens.PREFIX + "A".repeat(43), "The token is unknown");
		assertRefused("not-a-token", "The token is not a Seatkeeper token");
		// The API still asks people for a password when no credentials come.
		HttpResponse<String> anonymous = send("GET", "/api/v1/license", null, null);
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((value) -> assertThat(value).startsWith("Basic"));
		HttpResponse<String> list = send("GET", "/api/v1/tokens/" + revoked.id(), null, basic());
		assertThat(JsonPath.<String>read(list.body(), "$.state")).isEqualTo("REVOKED");
		assertThat(JsonPath.<String>read(list.body(), "$.revokedBy")).isEqualTo("admin");
		assertThat(send("DELETE", "/api/v1/tokens/999999", null, basic()).statusCode()).isEqualTo(404);
	}

	@Test
	void badRequestsNameTheFieldAndCreateNothing() throws Exception {
		assertBadRequest("{\"scopes\":[\"SCIM\"]}", "name", "A token needs a name");
		assertBadRequest("{\"name\":\"  \",\"scopes\":[\"SCIM\"]}", "name", "A token needs a name");
		assertBadRequest("{\"name\":\"" + "x".repeat(49) + "\",\"scopes\":[\"SCIM\"]}", "name", "at most 48");
		assertBadRequest("{\"name\":\"a\",\"scopes\":[]}", "scopes", "at least one scope");
		assertBadRequest("{\"name\":\"a\"}", "scopes", "at least one scope");
		assertBadRequest("{\"name\":\"a\",\"scopes\":[\"SCIM\"],\"expiresOn\":\"2001-01-01\"}", "expiresOn",
				"is in the past");
		HttpResponse<String> unknownScope = send("POST", "/api/v1/tokens", "{\"name\":\"a\",\"scopes\":[\"ROOT\"]}",
				basic());
		assertThat(unknownScope.statusCode()).isEqualTo(400);
		assertThat(unknownScope.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		HttpResponse<String> badDate = send("POST", "/api/v1/tokens",
				"{\"name\":\"a\",\"scopes\":[\"SCIM\"],\"expiresOn\":\"tomorrow\"}", basic());
		assertThat(badDate.statusCode()).isEqualTo(400);
		assertThat(this.jdbc.queryForObject("select count(*) from api_token", Integer.class)).isZero();

		// A name in use is refused until its token is revoked, ignoring case.
		CreatedToken first = this.tokens.create("Entra-ID", java.util.Set.of(TokenScope.SCIM), null, "admin");
		assertBadRequest("{\"name\":\"entra-id\",\"scopes\":[\"SCIM\"]}", "name", "Another token in use");
		this.tokens.revoke(first.id(), "admin");
		assertThat(
				send("POST", "/api/v1/tokens", "{\"name\":\"entra-id\",\"scopes\":[\"SCIM\"]}", basic()).statusCode())
			.isEqualTo(201);
	}

	private void assertRefused(String token, String why) throws Exception {
		HttpResponse<String> response = send("GET", "/api/v1/license", null, bearer(token));
		assertThat(response.statusCode()).as(why).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate")).as(why)
			.hasValueSatisfying((
					value) -> assertThat(value).startsWith("Bearer").contains("error=\"invalid_token\"").contains(why));
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	private void assertBadRequest(String body, String field, String message) throws Exception {
		HttpResponse<String> response = send("POST", "/api/v1/tokens", body, basic());
		assertThat(response.statusCode()).as(body).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(JsonPath.<String>read(response.body(), "$.errors." + field)).as(body).contains(message);
		assertThat(JsonPath.<String>read(response.body(), "$.code")).startsWith("token.error.");
	}

	private List<String> audit(String action) {
		return this.jdbc.queryForList("select actor || ': ' || details from audit_event where action = ? order by id",
				String.class, action);
	}

	private HttpResponse<String> send(String method, String path, String json, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.method(method,
					(json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody());
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	private static String bearer(String token) {
		return "Bearer " + token;
	}

	private static String basic() {
		return "Basic "
				+ Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
	}

}
