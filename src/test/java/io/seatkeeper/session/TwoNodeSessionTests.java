package io.seatkeeper.session;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.seatkeeper.NewProfiles;
import io.seatkeeper.Pools;
import io.seatkeeper.TwoNodes;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.seatkeeper.HttpForms.csrf;
import static io.seatkeeper.HttpForms.encode;
import static io.seatkeeper.HttpForms.sessionCookie;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes on one PostgreSQL database, over HTTP as a round-robin load balancer sends
 * the requests of one browser: a session started on one node is signed in on the other, a
 * block or a role change made on one node holds at the next request on the other, and a
 * session that ends leaves no row behind.
 */
class TwoNodeSessionTests {

	private static final String PASSWORD = "two-node-password";

	@RegisterExtension
	static final TwoNodes nodes = TwoNodes.of(2);

	private final HttpClient http = HttpClient.newHttpClient();

	private JdbcTemplate jdbc;

	@BeforeEach
	void startFromKnownState() {
		this.jdbc = nodes.node(0).getBean(JdbcTemplate.class);
		Pools.reset(this.jdbc, 10, 5);
	}

	@Test
	void aSessionStartedOnOneNodeIsSignedInOnTheOther() throws Exception {
		aProfile("carla");
		String session = signIn(nodes.node(0), "carla");

		for (int i = 0; i < 6; i++) {
			HttpResponse<String> home = get(nodes.node(i % 2), "/", session);
			assertThat(home.statusCode()).isEqualTo(200);
			assertThat(home.body()).contains("carla");
		}
		assertThat(sessionRows("carla")).isEqualTo(1);
	}

	@Test
	void aProfileBlockedOnOneNodeLosesItsSessionOnTheOtherAtItsNextRequest() throws Exception {
		ProfileView dora = aProfile("dora");
		String session = signIn(nodes.node(0), "dora");
		assertThat(get(nodes.node(1), "/", session).statusCode()).isEqualTo(200);

		nodes.node(0).getBean(PeopleService.class).block(dora.id(), "admin");

		HttpResponse<String> next = get(nodes.node(1), "/", session);
		assertThat(next.statusCode()).isEqualTo(302);
		assertThat(next.headers().firstValue("Location").orElseThrow()).contains("/login");
		assertThat(get(nodes.node(0), "/", session).statusCode()).isEqualTo(302);
		await().atMost(Duration.ofSeconds(10)).until(() -> sessionRows("dora") == 0);
	}

	@Test
	void everySessionOfABlockedProfileIsDeletedAfterTheCommit() throws Exception {
		ProfileView emil = aProfile("emil");
		signIn(nodes.node(0), "emil");
		signIn(nodes.node(1), "emil");
		assertThat(sessionRows("emil")).isEqualTo(2);

		nodes.node(1).getBean(PeopleService.class).block(emil.id(), "admin");

		// No further request needed: the rows go after the block's commit.
		await().atMost(Duration.ofSeconds(10)).until(() -> sessionRows("emil") == 0);
	}

	@Test
	void aRoleGivenOnOneNodeHoldsAtTheNextRequestOnTheOther() throws Exception {
		ProfileView fritz = aProfile("fritz");
		String session = signIn(nodes.node(0), "fritz");
		assertThat(get(nodes.node(1), "/admin/system", session).statusCode()).isEqualTo(403);

		nodes.node(0).getBean(PeopleService.class).changeRoles(fritz.id(), true, false, "admin");

		assertThat(get(nodes.node(1), "/admin/system", session).statusCode()).isEqualTo(200);
		assertThat(get(nodes.node(0), "/admin/system", session).statusCode()).isEqualTo(200);
	}

	@Test
	void signingOutOnOneNodeEndsTheSessionOnBoth() throws Exception {
		aProfile("greta");
		String session = signIn(nodes.node(0), "greta");
		String csrf = csrf(get(nodes.node(1), "/", session).body());

		HttpResponse<String> out = post(nodes.node(1), "/logout", session, "_csrf=" + encode(csrf));

		assertThat(out.statusCode()).isEqualTo(302);
		assertThat(get(nodes.node(0), "/", session).statusCode()).isEqualTo(302);
		assertThat(sessionRows("greta")).isZero();
	}

	private ProfileView aProfile(String username) {
		return nodes.node(0)
			.getBean(PeopleService.class)
			.create(NewProfiles.aProfile(username, null, PASSWORD), "admin");
	}

	/**
	 * Signs in with the form on the node, as a browser does; returns the session cookie
	 * ({@code SESSION=…}).
	 */
	private String signIn(ConfigurableApplicationContext node, String username) throws Exception {
		HttpResponse<String> form = get(node, "/login", null);
		String cookie = sessionCookie(form);
		HttpResponse<String> signedIn = post(node, "/login", cookie, "username=" + encode(username) + "&password="
				+ encode(PASSWORD) + "&_csrf=" + encode(csrf(form.body())));
		assertThat(signedIn.statusCode()).isEqualTo(302);
		assertThat(signedIn.headers().firstValue("Location").orElseThrow()).doesNotContain("login");
		return sessionCookie(signedIn);
	}

	private HttpResponse<String> get(ConfigurableApplicationContext node, String path, String cookie) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(node, path));
		if (cookie != null) {
			request.header("Cookie", cookie);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(ConfigurableApplicationContext node, String path, String cookie, String form)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(node, path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form));
		if (cookie != null) {
			request.header("Cookie", cookie);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private int sessionRows(String username) {
		return this.jdbc.queryForObject("select count(*) from spring_session where principal_name = ?", Integer.class,
				username);
	}

	private static URI uri(ConfigurableApplicationContext node, String path) {
		return URI.create("http://localhost:" + node.getEnvironment().getProperty("local.server.port") + path);
	}

}
