package io.seatkeeper.people;

import java.io.ByteArrayOutputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.seatkeeper.Pools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.util.HtmlUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A file over the upload limit, sent by a browser to the running server: Tomcat refuses
 * the multipart body before any controller sees it, and the administrator still gets the
 * upload form with a message that names the limit. On H2 and on PostgreSQL.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "seatkeeper.import.max-file-size=1KB",
				"seatkeeper.admin.password=" + CsvUploadServerLimitTests.ADMIN_PASSWORD })
@Tag("database")
class CsvUploadServerLimitTests {

	static final String ADMIN_PASSWORD = "built-in-secret-1";

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

	@LocalServerPort
	int port;

	@Autowired
	MessageSource messages;

	@Autowired
	JdbcTemplate jdbc;

	private final HttpClient browser = HttpClient.newBuilder()
		.cookieHandler(new CookieManager())
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	@BeforeEach
	void emptyPools() {
		Pools.reset(this.jdbc, 100, 0);
		this.jdbc.update("delete from import_job");
	}

	@Test
	void aBrowserUploadOverTheLimitGetsTheFormWithTheLimit() throws Exception {
		signIn();
		String form = get("/admin/people/import").body();

		HttpResponse<String> response = postFile("/admin/people/import", csrfOf(form), aFileOf(4096));

		String page = followRedirects(response);
		assertThat(page).contains("id=\"upload-form\"");
		assertThat(HtmlUtils.htmlUnescape(page)).contains(text("import.file.tooLarge", "1 KB"));
		assertThat(this.jdbc.queryForObject("select count(*) from profile where built_in = false", Integer.class))
			.isZero();
		assertThat(this.jdbc.queryForObject("select count(*) from import_job", Integer.class)).isZero();
	}

	@Test
	void aBrowserUploadUnderTheLimitIsPreviewed() throws Exception {
		signIn();
		String form = get("/admin/people/import").body();

		HttpResponse<String> response = postFile("/admin/people/import", csrfOf(form), aFileOf(512));

		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location").orElse(""))
			.matches(".*/admin/people/import/[0-9a-f-]{36}");
		assertThat(followRedirects(response)).contains("id=\"confirm-form\"");
		assertThat(this.jdbc.queryForObject("select count(*) from import_job", Integer.class)).isOne();
	}

	private void signIn() throws Exception {
		String login = get("/login").body();
		String body = "username=admin&password=" + URLEncoder.encode(ADMIN_PASSWORD, StandardCharsets.UTF_8) + "&_csrf="
				+ URLEncoder.encode(csrfOf(login), StandardCharsets.UTF_8);
		HttpResponse<String> response = this.browser.send(HttpRequest.newBuilder(uri("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location").orElse("")).doesNotContain("error");
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.browser.send(HttpRequest.newBuilder(uri(path)).GET().build(),
				HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	private HttpResponse<String> postFile(String path, String csrf, byte[] file) throws Exception {
		String boundary = "----seatkeeper" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + csrf
				+ "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\n"
				+ "Content-Type: text/csv\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8));
		body.writeBytes(file);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return this.browser.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
			.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	private String followRedirects(HttpResponse<String> response) throws Exception {
		HttpResponse<String> current = response;
		for (int hops = 0; current.statusCode() / 100 == 3 && hops < 5; hops++) {
			String location = current.headers().firstValue("Location").orElseThrow();
			current = this.browser.send(HttpRequest.newBuilder(uri(location)).GET().build(),
					HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		assertThat(current.statusCode()).as("the final page's status").isEqualTo(200);
		return current.body();
	}

	private URI uri(String path) {
		URI base = URI.create("http://localhost:" + this.port + "/");
		return base.resolve(path);
	}

	private static String csrfOf(String page) {
		Matcher token = CSRF.matcher(page);
		assertThat(token.find()).as("the page has a CSRF token").isTrue();
		return HtmlUtils.htmlUnescape(token.group(1));
	}

	private static byte[] aFileOf(int size) {
		StringBuilder csv = new StringBuilder("username,email\n");
		for (int i = 0; csv.length() < size - 40; i++) {
			csv.append("user").append(i).append(",user").append(i).append("@example.org\n");
		}
		return csv.toString().getBytes(StandardCharsets.UTF_8);
	}

	private String text(String code, Object... arguments) {
		return this.messages.getMessage(code, arguments, Locale.ENGLISH);
	}

}
