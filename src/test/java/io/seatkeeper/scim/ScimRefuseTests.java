package io.seatkeeper.scim;

import java.util.List;
import java.util.Map;

import io.seatkeeper.Pools;
import io.seatkeeper.license.LicenseService;
import io.seatkeeper.people.AreaService;
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
 * With {@code seatkeeper.scim.when-full=refuse}, a create or an activation that the full
 * pool cannot take is refused with 403 in the SCIM error schema, its {@code detail}
 * naming the pool, its maximum and how many are active, and nothing is created or
 * changed: 20 concurrent creates into 5 free licences make 5 profiles and 15 refusals. A
 * group change that would move an active member into a full pool is refused whole. With
 * {@code seatkeeper.scim.on-delete=delete}, a DELETE deletes the profile. On H2 and
 * PostgreSQL.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "seatkeeper.scim.when-full=refuse", "seatkeeper.scim.on-delete=delete",
				"seatkeeper.scim.areas.Partners=Partner Area" })
@Tag("database")
class ScimRefuseTests {

	@LocalServerPort
	int port;

	@Autowired
	ApiTokens tokens;

	@Autowired
	LicenseService licenses;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	AreaService areas;

	ScimClient client;

	@BeforeEach
	void fivePrimaryLicences() {
		Pools.reset(this.jdbc, 5, 0);
		this.jdbc.update("delete from scim_group");
		this.client = ScimClient.withNewToken(this.tokens, this.port, TokenScope.SCIM);
	}

	@AfterEach
	void countersEqualTheRows() {
		this.client.close();
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	@Test
	void twentyConcurrentCreatesIntoFiveFreeLicencesMakeFiveAndRefuseTheRest() throws Exception {
		List<ScimClient.Answer> answers = ScimConcurrencyTests.all(20, (i) -> this.client.send("POST", "/Users",
				ScimClient.userJson("user" + i + "@example.org", "ext-" + i)));

		assertThat(answers.stream().filter((answer) -> answer.status() == 201)).hasSize(5);
		List<ScimClient.Answer> refused = answers.stream().filter((answer) -> answer.status() == 403).toList();
		assertThat(refused).hasSize(15);
		assertThat(refused.get(0).contentType()).startsWith("application/scim+json");
		assertThat(refused.get(0).json().path("detail").asText()).contains("PRIMARY")
			.contains("maximum 5")
			.contains("active 5");
		assertThat(this.jdbc.queryForObject("select count(*) from profile where source = 'SCIM'", Integer.class))
			.isEqualTo(5);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(5);
	}

	@Test
	void refusesAnActivationThatTheFullPoolCannotTakeAndDeletesOnDelete() {
		ScimClient.Answer alice = this.client.send("POST", "/Users",
				ScimClient.userJson("alice@example.org", "ext-alice").replace("\"active\":true", "\"active\":false"));
		assertThat(alice.status()).isEqualTo(201);
		assertThat(alice.json().path("active").asBoolean(true)).isFalse();
		for (int i = 0; i < 5; i++) {
			assertThat(
					this.client.send("POST", "/Users", ScimClient.userJson("u" + i + "@example.org", "e" + i)).status())
				.isEqualTo(201);
		}
		String path = "/Users/" + alice.json().path("id").asText();

		ScimClient.Answer refused = this.client.send("PATCH", path,
				ScimClient.fixture("entra-enable-user.json", Map.of()));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.json().path("detail").asText()).contains("PRIMARY").contains("maximum 5");
		assertThat(this.jdbc.queryForObject("select block_reason from profile where username_key = 'alice@example.org'",
				String.class))
			.isEqualTo("PROVISIONING");

		assertThat(this.client.send("DELETE", path, null).status()).isEqualTo(204);
		assertThat(this.jdbc.queryForObject("select count(*) from profile where username_key = 'alice@example.org'",
				Integer.class))
			.isZero();
		assertThat(this.client.send("GET", path, null).status()).isEqualTo(404);
	}

	@Test
	void refusesAGroupChangeThatWouldMoveAnActiveMemberIntoAFullPool() {
		this.areas.createExtranet("Partner Area", "admin");
		ScimClient.Answer alice = this.client.send("POST", "/Users", ScimClient.userJson("alice@example.org", "ext-a"));
		String id = alice.json().path("id").asText();
		int refusals = this.jdbc.queryForObject("select count(*) from audit_event where actor = ?", Integer.class,
				this.client.actor());

		ScimClient.Answer group = this.client.send("POST", "/Groups",
				"{\"displayName\":\"Partners\",\"members\":[{\"value\":\"" + id + "\"}]}");

		assertThat(group.status()).isEqualTo(403);
		assertThat(group.json().path("detail").asText()).contains("EXTRANET").contains("maximum 0");
		assertThat(this.client.send("GET", "/Groups?filter=displayName%20eq%20%22Partners%22", null)
			.json()
			.path("totalResults")
			.asInt()).isZero();
		assertThat(this.jdbc.queryForObject(
				"select a.name from profile p join area a on a.id = p.area_id " + "where p.id = ?", String.class,
				Long.parseLong(id)))
			.isEqualTo("Primary Area");
		assertThat(this.jdbc.queryForObject("select count(*) from audit_event where actor = ?", Integer.class,
				this.client.actor()))
			.isGreaterThan(refusals);
	}

}
