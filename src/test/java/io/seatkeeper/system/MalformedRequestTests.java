package io.seatkeeper.system;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.util.HtmlUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every API endpoint and console form, sent malformed requests through the running server
 * (a wrong method, content type or body, a truncated multipart, numbers out of range):
 * each is answered with the right 4xx, on the API as an RFC 9457 problem, and never with
 * a 500. On H2 and on PostgreSQL (where a dormancy of two billion days once overflowed
 * the timestamp).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "seatkeeper.admin.password=" + MalformedRequestTests.ADMIN_PASSWORD)
@Tag("database")
class MalformedRequestTests {

	static final String ADMIN_PASSWORD = "built-in-secret-1";

	private static final String TRUNCATED_MULTIPART = "--x\r\n\r\n--x--";

	private static final String MULTIPART = "multipart/form-data; boundary=x";

	private static final String JSON = "application/json";

	private static final String CSV = "text/csv";

	private static final String HUGE = "99999999999999999999";

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

	@LocalServerPort
	int port;

	private final HttpClient browser = HttpClient.newBuilder()
		.cookieHandler(new CookieManager())
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	static Stream<Arguments> apiRequests() {
		return Stream.of(arguments("PUT", "/api/v1/profiles", JSON, "{}", 405),
				arguments("GET", "/api/v1/profiles?limit=0", null, null, 400),
				arguments("GET", "/api/v1/profiles?limit=1001", null, null, 400),
				arguments("GET", "/api/v1/profiles?limit=" + HUGE, null, null, 400),
				arguments("GET", "/api/v1/profiles?dormantDays=2147483647", null, null, 400),
				arguments("GET", "/api/v1/profiles?dormantDays=" + HUGE, null, null, 400),
				arguments("GET", "/api/v1/profiles?after=" + HUGE, null, null, 400),
				arguments("GET", "/api/v1/profiles?after=-1", null, null, 400),
				arguments("GET", "/api/v1/profiles?state=NOPE", null, null, 400),
				arguments("GET", "/api/v1/profiles?area=nowhere", null, null, 400),
				arguments("PUT", "/api/v1/profiles/1", JSON, "{}", 405),
				arguments("POST", "/api/v1/profiles", MULTIPART, TRUNCATED_MULTIPART, 400),
				arguments("POST", "/api/v1/profiles", "text/plain", "username=jdoe", 415),
				arguments("POST", "/api/v1/profiles", null, null, 400),
				arguments("POST", "/api/v1/profiles", JSON, "{\"username\":", 400),
				arguments("POST", "/api/v1/profiles", JSON, "[]", 400),
				arguments("POST", "/api/v1/profiles", JSON, "{\"username\":[\"a\"]}", 400),
				arguments("POST", "/api/v1/profiles", JSON, "", 400),
				arguments("GET", "/api/v1/profiles/abc", null, null, 400),
				arguments("GET", "/api/v1/profiles/" + HUGE, null, null, 400),
				arguments("GET", "/api/v1/profiles/-1", null, null, 404),
				arguments("GET", "/api/v1/profiles/1/nothing", null, null, 404),
				arguments("GET", "/api/v1/profiles/1/block", null, null, 405),
				arguments("POST", "/api/v1/profiles/" + HUGE + "/block", null, null, 400),
				arguments("POST", "/api/v1/profiles/1/reinstate", MULTIPART, TRUNCATED_MULTIPART, 400),
				arguments("DELETE", "/api/v1/profiles/abc", null, null, 400),
				arguments("GET", "/api/v1/profiles.csv?state=NOPE", null, null, 400),
				arguments("GET", "/api/v1/profiles.csv?columns=NOPE", null, null, 400),
				arguments("GET", "/api/v1/profiles.csv?forExcel=maybe", null, null, 400),
				arguments("GET", "/api/v1/profiles.csv?area=nowhere", null, null, 400),
				arguments("POST", "/api/v1/profiles.csv", CSV, "x", 405),
				arguments("POST", "/api/v1/profiles/import?dryRun=true", "text/plain", "username,email\n", 415),
				arguments("POST", "/api/v1/profiles/import?dryRun=true", JSON, "{}", 415),
				arguments("POST", "/api/v1/profiles/import?dryRun=true", null, null, 415),
				arguments("POST", "/api/v1/profiles/import?dryRun=true", MULTIPART, TRUNCATED_MULTIPART, 400),
				arguments("POST", "/api/v1/profiles/import?dryRun=maybe", CSV, "username,email\n", 400),
				arguments("POST", "/api/v1/profiles/import?mode=nope", CSV, "username,email\n", 400),
				arguments("PUT", "/api/v1/profiles/import", CSV, "username,email\n", 405),
				arguments("GET", "/api/v1/directory/sync", null, null, 405),
				arguments("POST", "/api/v1/directory/sync", MULTIPART, TRUNCATED_MULTIPART, 400),
				arguments("POST", "/api/v1/directory/runs/x", null, null, 405),
				arguments("GET", "/api/v1/directory/runs/nope", null, null, 404),
				arguments("GET", "/api/v1/directory/nothing", null, null, 404),
				// No role may open a path the API does not list (a fail-safe default).
				arguments("POST", "/api/v1/license", JSON, "{}", 403),
				arguments("GET", "/api/v2/nothing", null, null, 403));
	}

	@ParameterizedTest(name = "{0} {1} ({2})")
	@MethodSource("apiRequests")
	void apiAnswersEveryMalformedRequestWithAProblem(String method, String path, String contentType, String body,
			int status) throws Exception {
		HttpResponse<String> response = send(method, path, contentType, body, basic());

		assertProblem(response, status);
	}

	@Test
	void apiNamesTheAllowedMethodsOfAWrongOne() throws Exception {
		HttpResponse<String> response = send("PUT", "/api/v1/profiles", JSON, "{}", basic());

		assertProblem(response, 405);
		assertThat(String.join(",", response.headers().allValues("Allow")).split(",\\s*"))
			.containsExactlyInAnyOrder("GET", "POST");
	}

	@Test
	void importNamesTheOneContentTypeItTakes() throws Exception {
		HttpResponse<String> response = send("POST", "/api/v1/profiles/import?dryRun=true", "text/plain",
				"username,email\njdoe,jdoe@example.org\n", basic());

		assertProblem(response, 415);
		assertThat(response.body()).contains("text/csv").contains("\"accepted\":[\"text/csv\"]");
	}

	@Test
	void importTakesCsvWithACharset() throws Exception {
		HttpResponse<String> response = send("POST", "/api/v1/profiles/import?dryRun=true", "text/csv; charset=utf-8",
				"username,email\njdoe,jdoe@example.org\n", basic());

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"PREVIEW\"");
	}

	@Test
	void apiNamesAParameterOfTheWrongType() throws Exception {
		HttpResponse<String> response = send("POST", "/api/v1/profiles/import?dryRun=maybe", CSV, "username,email\n",
				basic());

		assertProblem(response, 400);
		assertThat(response.body()).contains("\"errors\":{\"dryRun\":");
	}

	@Test
	void apiAnswersAnUnauthenticatedRequestWithAProblem() throws Exception {
		HttpResponse<String> response = send("GET", "/api/v1/license", null, null, null);

		assertProblem(response, 401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((value) -> value.startsWith("Basic"));
	}

	static Stream<Arguments> consoleRequests() {
		return Stream.of(arguments("GET", "/admin/people?dormant=2147483647", null, null, 400),
				arguments("GET", "/admin/people?dormant=36501", null, null, 400),
				arguments("GET", "/admin/people?dormant=-5", null, null, 400),
				arguments("GET", "/admin/people?dormant=abc", null, null, 400),
				arguments("GET", "/admin/people?dormant=" + HUGE, null, null, 400),
				arguments("GET", "/admin/people?dormant=90", null, null, 200),
				arguments("GET", "/admin/people?area=" + HUGE, null, null, 400),
				arguments("GET", "/admin/people?area=-1", null, null, 200),
				arguments("GET", "/admin/people?state=NOPE", null, null, 400),
				arguments("POST", "/admin/people/block/confirm?scope=matching&dormant=2147483647", null, null, 400),
				arguments("POST", "/admin/people/block/confirm?ids=" + HUGE, null, null, 400),
				arguments("POST", "/admin/people/block?ids=abc", null, null, 400),
				arguments("PUT", "/admin/people", null, null, 405),
				arguments("DELETE", "/admin/system", null, null, 405),
				arguments("GET", "/admin/people/" + HUGE, null, null, 400),
				arguments("GET", "/admin/people/abc", null, null, 400),
				arguments("GET", "/admin/people/-1", null, null, 404),
				arguments("POST", "/admin/people/new", MULTIPART, TRUNCATED_MULTIPART, 400),
				arguments("POST", "/admin/people/new", "text/plain", "username=jdoe", 200),
				arguments("POST", "/admin/people/1/move?areaId=" + HUGE, null, null, 400),
				arguments("POST", "/admin/people/1/roles?sysadmin=maybe", null, null, 400),
				arguments("POST", "/admin/people/import", MULTIPART, TRUNCATED_MULTIPART, 400),
				arguments("GET", "/admin/people/import/nope", null, null, 404),
				arguments("POST", "/admin/people/import/nope/confirm?mode=NOPE", null, null, 400),
				arguments("POST", "/admin/people/export?columns=NOPE", null, null, 400),
				arguments("POST", "/admin/people/export?columns=USERNAME&area=" + HUGE, null, null, 400),
				arguments("POST", "/admin/system/areas", MULTIPART, TRUNCATED_MULTIPART, 400),
				arguments("GET", "/admin/system/areas/" + HUGE, null, null, 400),
				arguments("GET", "/admin/system/audit?before=" + HUGE, null, null, 400),
				arguments("GET", "/admin/system/audit?before=-1", null, null, 200),
				arguments("GET", "/admin/system/audit?from=%2B999999999-01-01", null, null, 200),
				arguments("GET", "/admin/system/audit?to=%2B999999999-12-31", null, null, 200),
				arguments("GET", "/admin/system/audit?from=-999999999-01-01", null, null, 200),
				arguments("GET", "/admin/system/audit/export?to=%2B999999999-12-31", null, null, 200),
				arguments("GET", "/admin/system/audit?from=not-a-date", null, null, 400),
				arguments("GET", "/admin/system/license/usage?period=" + HUGE, null, null, 400),
				arguments("GET", "/admin/system/license/usage.csv?pool=NOPE", null, null, 400),
				arguments("POST", "/admin/system/license/key/preview", MULTIPART, TRUNCATED_MULTIPART, 400),
				arguments("POST", "/admin/system/license/requests/" + HUGE + "/withdraw", null, null, 400),
				arguments("POST", "/admin/system/license/responsible-person", MULTIPART, TRUNCATED_MULTIPART, 400),
				arguments("GET", "/admin/system/directory/runs/nope", null, null, 404),
				arguments("POST", "/admin/system/directory", MULTIPART, TRUNCATED_MULTIPART, 400));
	}

	@ParameterizedTest(name = "{0} {1} ({2})")
	@MethodSource("consoleRequests")
	void consoleAnswersEveryMalformedRequestWithoutA500(String method, String path, String contentType, String body,
			int status) throws Exception {
		String csrf = signIn();
		String withToken = path + (path.contains("?") ? "&" : "?") + "_csrf="
				+ URLEncoder.encode(csrf, StandardCharsets.UTF_8);

		HttpResponse<String> response = send(method, "GET".equals(method) ? path : withToken, contentType, body, null);

		assertThat(response.statusCode()).as(method + " " + path).isEqualTo(status);
	}

	@Test
	void peopleListNamesADormancyOutOfRange() throws Exception {
		signIn();

		HttpResponse<String> response = send("GET", "/admin/people?dormant=2147483647", null, null, null);

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(HtmlUtils.htmlUnescape(response.body())).contains("dormant");
	}

	private void assertProblem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode())
			.as(response.request().method() + " " + response.uri() + ": " + response.body())
			.isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).as("the answer's type")
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).contains("\"status\":" + status)
			.contains("\"title\":")
			.contains("\"detail\":")
			.contains("\"message\":")
			.containsPattern("\"code\":\"[a-zA-Z.]+\"");
	}

	private String signIn() throws Exception {
		String login = send("GET", "/login", null, null, null).body();
		String body = "username=admin&password=" + URLEncoder.encode(ADMIN_PASSWORD, StandardCharsets.UTF_8) + "&_csrf="
				+ URLEncoder.encode(csrfOf(login), StandardCharsets.UTF_8);
		HttpResponse<String> response = send("POST", "/login", "application/x-www-form-urlencoded", body, null);
		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location").orElse("")).doesNotContain("error");
		return csrfOf(send("GET", "/admin/people/new", null, null, null).body());
	}

	private HttpResponse<String> send(String method, String path, String contentType, String body, String authorization)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return this.browser.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	private static String basic() {
		return "Basic "
				+ Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
	}

	private static String csrfOf(String page) {
		Matcher token = CSRF.matcher(page);
		assertThat(token.find()).as("the page has a CSRF token").isTrue();
		return HtmlUtils.htmlUnescape(token.group(1));
	}

}
