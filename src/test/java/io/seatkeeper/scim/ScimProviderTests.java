package io.seatkeeper.scim;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.scim2.common.GenericScimResource;
import com.unboundid.scim2.common.exceptions.ResourceConflictException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.types.Email;
import com.unboundid.scim2.common.types.GroupResource;
import com.unboundid.scim2.common.types.Member;
import com.unboundid.scim2.common.types.Name;
import com.unboundid.scim2.common.types.ResourceTypeResource;
import com.unboundid.scim2.common.types.SchemaResource;
import com.unboundid.scim2.common.types.ServiceProviderConfigResource;
import com.unboundid.scim2.common.types.UserResource;
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
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The SCIM 2.0 endpoint as identity providers test it before they provision, driven
 * through the UnboundID SCIM 2 client ({@code ScimService}) over HTTP, with a real bearer
 * token, on H2 and PostgreSQL. The checks that Microsoft's SCIM Validator and Okta's SCIM
 * 2.0 test suites make:
 * <ul>
 * <li>discovery: {@code /ServiceProviderConfig}, {@code /ResourceTypes},
 * {@code /Schemas};</li>
 * <li>create a user (201, {@code id}, {@code meta.location}) and get it by id;</li>
 * <li>filter by {@code userName} (ignoring case), by {@code externalId}, by
 * {@code emails[type eq "work"].value}, joined with {@code and}; a filter that matches
 * nothing answers an empty list;</li>
 * <li>list with paging ({@code startIndex}, {@code count}, {@code totalResults});</li>
 * <li>update with PUT and with PATCH (Entra ID's bodies: capitalised operation names, a
 * filtered path, an enterprise attribute, a replace without a path);</li>
 * <li>deactivate ({@code "active": "False"}) and reactivate, through the licence
 * gate;</li>
 * <li>delete (204), then the user is gone (404);</li>
 * <li>a duplicate userName is 409 {@code uniqueness};</li>
 * <li>an unknown id is 404 in the SCIM error schema;</li>
 * <li>groups with members: create, get, filter by {@code displayName}, add and remove
 * members by PATCH (Entra ID's and Okta's forms), replace by PUT, delete; a member of a
 * mapped group is placed in its Extranet area through the gate;</li>
 * <li>{@code attributes} and {@code excludedAttributes};</li>
 * <li>a full pool queues the user (201, {@code active: false}, its licence state and
 * place in the queue);</li>
 * <li>no token is 401, a token without the SCIM scope 403, both in the SCIM error
 * schema.</li>
 * </ul>
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "seatkeeper.scim.areas.Partners=" + ScimProviderTests.PARTNER_AREA)
@Tag("database")
class ScimProviderTests {

	static final String PARTNER_AREA = "Partner Area";

	private static final String SEATKEEPER = "urn:seatkeeper:params:scim:schemas:extension:2.0:User";

	@LocalServerPort
	int port;

	@Autowired
	ApiTokens tokens;

	@Autowired
	AreaService areas;

	@Autowired
	LicenseService licenses;

	@Autowired
	JdbcTemplate jdbc;

	ScimClient client;

	@BeforeEach
	void emptyPools() {
		Pools.reset(this.jdbc, 5, 2);
		this.jdbc.update("delete from scim_group");
		this.areas.createExtranet(PARTNER_AREA, "admin");
		this.client = ScimClient.withNewToken(this.tokens, this.port, TokenScope.SCIM);
	}

	@AfterEach
	void countersEqualTheRows() {
		this.client.close();
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	@Test
	void discoversTheServiceProvider() throws Exception {
		ServiceProviderConfigResource config = this.client.scim().getServiceProviderConfig();
		assertThat(config.getPatch().isSupported()).isTrue();
		assertThat(config.getFilter().isSupported()).isTrue();
		assertThat(config.getBulk().isSupported()).isFalse();
		assertThat(config.getAuthenticationSchemes()).extracting((scheme) -> scheme.getType())
			.containsExactly("oauthbearertoken");

		ListResponse<ResourceTypeResource> types = this.client.scim().getResourceTypes();
		assertThat(types.getResources()).extracting(ResourceTypeResource::getName).containsExactly("User", "Group");

		ListResponse<SchemaResource> schemas = this.client.scim().getSchemas();
		assertThat(schemas.getResources()).extracting(SchemaResource::getId)
			.contains("urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:core:2.0:Group",
					SEATKEEPER);
		assertThat(this.client.scim().getSchema("urn:ietf:params:scim:schemas:core:2.0:User").getAttributes())
			.extracting((attribute) -> attribute.getName())
			.contains("userName", "name", "emails", "active");
	}

	@Test
	void createsAUserAndGetsItById() throws Exception {
		UserResource created = this.client.scim().create("Users", aUser("alice@example.org", "ext-alice"));

		assertThat(created.getId()).isNotBlank();
		assertThat(created.getActive()).isTrue();
		assertThat(created.getMeta().getLocation().toString()).endsWith("/scim/v2/Users/" + created.getId());
		assertThat(created.getEmails()).extracting(Email::getValue).containsExactly("alice@example.org");

		UserResource read = this.client.scim().retrieve("Users", created.getId(), UserResource.class);
		assertThat(read.getUserName()).isEqualTo("alice@example.org");
		assertThat(read.getExternalId()).isEqualTo("ext-alice");
		assertThat(read.getName().getGivenName()).isEqualTo("Alice");
		assertThat(this.jdbc.queryForObject("select source || '/' || state from profile where id = ?", String.class,
				Long.parseLong(created.getId())))
			.isEqualTo("SCIM/ACTIVE");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where action = 'PROFILE_CREATED' and actor = ?", Integer.class,
				this.client.actor()))
			.isEqualTo(1);
	}

	@Test
	void filtersByUserNameIgnoringCaseByExternalIdAndByWorkEmail() throws Exception {
		this.client.scim().create("Users", aUser("alice@example.org", "ext-alice"));
		this.client.scim().create("Users", aUser("bob@example.org", "ext-bob"));

		assertThat(search("userName eq \"ALICE@Example.org\"")).containsExactly("alice@example.org");
		assertThat(search("externalId eq \"ext-bob\"")).containsExactly("bob@example.org");
		assertThat(search("emails[type eq \"work\"].value eq \"bob@example.org\"")).containsExactly("bob@example.org");
		assertThat(search("userName eq \"alice@example.org\" and externalId eq \"ext-alice\""))
			.containsExactly("alice@example.org");
		assertThat(search("userName eq \"alice@example.org\" and externalId eq \"ext-bob\"")).isEmpty();
		assertThat(search("userName eq \"nobody@example.org\"")).isEmpty();
		assertThat(search("userName sw \"b\"")).containsExactly("bob@example.org");
	}

	@Test
	void listsWithPaging() throws Exception {
		for (int i = 1; i <= 5; i++) {
			this.client.scim().create("Users", aUser("user" + i + "@example.org", "ext-" + i));
		}

		ListResponse<UserResource> page = this.client.scim()
			.searchRequest("Users")
			.page(2, 2)
			.invoke(UserResource.class);

		assertThat(page.getTotalResults()).isEqualTo(5);
		assertThat(page.getStartIndex()).isEqualTo(2);
		assertThat(page.getItemsPerPage()).isEqualTo(2);
		assertThat(page.getResources()).extracting(UserResource::getUserName)
			.containsExactly("user2@example.org", "user3@example.org");

		ListResponse<UserResource> past = this.client.scim()
			.searchRequest("Users")
			.page(6, 2)
			.invoke(UserResource.class);
		assertThat(past.getTotalResults()).isEqualTo(5);
		assertThat(past.getResources()).isEmpty();
	}

	@Test
	void updatesWithPutAndWithPatch() throws Exception {
		UserResource alice = this.client.scim().create("Users", aUser("alice@example.org", "ext-alice"));

		alice.setName(new Name().setGivenName("Alicia").setFamilyName("Liddell"));
		alice.setUserName("alicia@example.org");
		UserResource replaced = this.client.scim().replace(alice);
		assertThat(replaced.getUserName()).isEqualTo("alicia@example.org");
		assertThat(replaced.getName().getFamilyName()).isEqualTo("Liddell");

		UserResource patched = this.client.scim()
			.modifyRequest("Users", alice.getId())
			.replaceValue("name.givenName", "Al")
			.invoke(UserResource.class);
		assertThat(patched.getName().getGivenName()).isEqualTo("Al");
		assertThat(patched.getName().getFamilyName()).isEqualTo("Liddell");
		assertThat(this.jdbc.queryForObject("select first_name || ' ' || last_name from profile where id = ?",
				String.class, Long.parseLong(alice.getId())))
			.isEqualTo("Al Liddell");
	}

	@Test
	void appliesEntraIdPatchBodies() throws Exception {
		UserResource alice = this.client.scim().create("Users", aUser("alice@example.org", "ext-alice"));
		String path = "/Users/" + alice.getId();

		ScimClient.Answer updated = this.client.send("PATCH", path, ScimClient.fixture("entra-update-user.json",
				Map.of("userName", "alice@example.org", "externalId", "ext-alice")));
		assertThat(updated.status()).isEqualTo(200);
		assertThat(updated.json().path("emails").get(0).path("value").asText()).isEqualTo("updated.alice@example.org");
		assertThat(updated.json().path("name").path("familyName").asText()).isEqualTo("UpdatedFamilyName");
		assertThat(updated.json().path("externalId").asText()).isEqualTo("ext-alice-updated");

		// Entra ID sends Add, not Replace, for an address it changes.
		ScimClient.Answer added = this.client.send("PATCH", path,
				ScimClient.fixture("entra-add-work-email.json", Map.of("email", "added.alice@example.org")));
		assertThat(added.status()).as(added.body()).isEqualTo(200);
		assertThat(added.json().path("emails").get(0).path("value").asText()).isEqualTo("added.alice@example.org");
		assertThat(this.jdbc.queryForObject("select email from profile where id = ?", String.class,
				Long.parseLong(alice.getId())))
			.isEqualTo("added.alice@example.org");

		ScimClient.Answer noPath = this.client.send("PATCH", path,
				ScimClient.fixture("entra-replace-without-path.json", Map.of()));
		assertThat(noPath.status()).isEqualTo(200);
		assertThat(noPath.json().path("name").path("givenName").asText()).isEqualTo("GivenUpdated");
		assertThat(noPath.json().path("active").asBoolean(true)).isFalse();
		assertThat(noPath.json().path(SEATKEEPER).path("licenseState").asText()).isEqualTo("BLOCKED");
	}

	@Test
	void deactivatesAndReactivatesThroughTheGate() throws Exception {
		UserResource alice = this.client.scim().create("Users", aUser("alice@example.org", "ext-alice"));
		String path = "/Users/" + alice.getId();

		ScimClient.Answer disabled = this.client.send("PATCH", path,
				ScimClient.fixture("entra-disable-user.json", Map.of()));
		assertThat(disabled.status()).isEqualTo(200);
		assertThat(disabled.json().path("active").asBoolean(true)).isFalse();
		assertThat(this.jdbc.queryForObject("select block_reason from profile where id = ?", String.class,
				Long.parseLong(alice.getId())))
			.isEqualTo("PROVISIONING");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();

		ScimClient.Answer enabled = this.client.send("PATCH", path,
				ScimClient.fixture("entra-enable-user.json", Map.of()));
		assertThat(enabled.status()).isEqualTo(200);
		assertThat(enabled.json().path("active").asBoolean(false)).isTrue();
		assertThat(enabled.json().path(SEATKEEPER).path("licenseState").asText()).isEqualTo("ACTIVE");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
	}

	@Test
	void deletesAUserThenItIsGone() throws Exception {
		UserResource alice = this.client.scim().create("Users", aUser("alice@example.org", "ext-alice"));

		this.client.scim().delete("Users", alice.getId());

		assertThatExceptionOfType(ResourceNotFoundException.class)
			.isThrownBy(() -> this.client.scim().retrieve("Users", alice.getId(), UserResource.class));
		assertThat(search("userName eq \"alice@example.org\"")).isEmpty();
		// Kept, blocked (seatkeeper.scim.on-delete=block): its licence is free.
		assertThat(this.jdbc.queryForObject("select block_reason from profile where id = ?", String.class,
				Long.parseLong(alice.getId())))
			.isEqualTo("PROVISIONING");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
	}

	@Test
	void takesBackADeletedUserInThePrimaryArea() throws Exception {
		UserResource alice = this.client.scim().create("Users", aUser("alice@example.org", "ext-alice"));
		this.client.scim()
			.create("Groups", new GroupResource().setDisplayName("Partners")
				.setMembers(List.of(new Member().setValue(alice.getId()))));
		assertThat(areaOf(alice)).isEqualTo(PARTNER_AREA);
		this.client.scim().delete("Users", alice.getId());

		UserResource back = this.client.scim().create("Users", aUser("alice@example.org", "ext-alice-2"));

		assertThat(back.getId()).isEqualTo(alice.getId());
		assertThat(back.getActive()).isTrue();
		assertThat(back.getGroups()).isNullOrEmpty();
		assertThat(areaOf(back)).isEqualTo("Primary Area");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isZero();
	}

	@Test
	void refusesADuplicateUserNameWithUniqueness() throws Exception {
		this.client.scim().create("Users", aUser("alice@example.org", "ext-alice"));

		assertThatExceptionOfType(ResourceConflictException.class)
			.isThrownBy(() -> this.client.scim().create("Users", aUser("ALICE@example.org", "ext-other")))
			.satisfies((conflict) -> assertThat(conflict.getScimError().getScimType()).isEqualTo("uniqueness"));
		assertThat(this.jdbc.queryForObject("select count(*) from profile where username_key = 'alice@example.org'",
				Integer.class))
			.isEqualTo(1);
	}

	@Test
	void answersAnUnknownIdWith404InTheErrorSchema() {
		ScimClient.Answer user = this.client.send("GET", "/Users/999999", null);
		assertThat(user.wwwAuthenticate()).isNull();
		assertThat(user.status()).isEqualTo(404);
		assertThat(user.contentType()).startsWith("application/scim+json");
		assertThat(user.json().path("schemas").get(0).asText())
			.isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
		assertThat(user.json().path("status").asText()).isEqualTo("404");

		assertThat(this.client.send("GET", "/Users/not-a-number", null).status()).isEqualTo(404);
		assertThat(this.client.send("GET", "/Groups/999999", null).status()).isEqualTo(404);
		assertThat(this.client.send("PATCH", "/Users/999999", ScimClient.fixture("entra-disable-user.json", Map.of()))
			.status()).isEqualTo(404);
		assertThat(this.client.send("DELETE", "/Users/999999", null).status()).isEqualTo(404);
	}

	@Test
	void pushesGroupMembershipsAndPlacesMembersInTheMappedArea() throws Exception {
		UserResource alice = this.client.scim().create("Users", aUser("alice@example.org", "ext-alice"));
		UserResource bob = this.client.scim().create("Users", aUser("bob@example.org", "ext-bob"));

		GroupResource partners = new GroupResource().setDisplayName("Partners")
			.setMembers(List.of(new Member().setValue(alice.getId())));
		GroupResource created = this.client.scim().create("Groups", partners);
		assertThat(created.getMembers()).extracting(Member::getValue).containsExactly(alice.getId());
		assertThat(areaOf(alice)).isEqualTo(PARTNER_AREA);
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(1);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);

		ListResponse<GroupResource> found = this.client.scim()
			.searchRequest("Groups")
			.filter("displayName eq \"partners\"")
			.excludedAttributes("members")
			.invoke(GroupResource.class);
		assertThat(found.getResources()).extracting(GroupResource::getId).containsExactly(created.getId());
		assertThat(found.getResources().get(0).getMembers()).isNull();

		String path = "/Groups/" + created.getId();
		assertThat(this.client
			.send("PATCH", path, ScimClient.fixture("entra-group-add-member.json", Map.of("userId", bob.getId())))
			.status()).isIn(200, 204);
		assertThat(areaOf(bob)).isEqualTo(PARTNER_AREA);
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isEqualTo(2);

		assertThat(this.client
			.send("PATCH", path, ScimClient.fixture("entra-group-remove-member.json", Map.of("userId", alice.getId())))
			.status()).isIn(200, 204);
		assertThat(areaOf(alice)).isEqualTo("Primary Area");
		assertThat(this.client
			.send("PATCH", path, ScimClient.fixture("okta-group-remove-member.json", Map.of("userId", bob.getId())))
			.status()).isIn(200, 204);
		assertThat(areaOf(bob)).isEqualTo("Primary Area");

		GroupResource read = this.client.scim().retrieve("Groups", created.getId(), GroupResource.class);
		read.setMembers(List.of(new Member().setValue(bob.getId())));
		GroupResource replaced = this.client.scim().replace(read);
		assertThat(replaced.getMembers()).extracting(Member::getValue).containsExactly(bob.getId());
		assertThat(areaOf(bob)).isEqualTo(PARTNER_AREA);

		UserResource bobRead = this.client.scim().retrieve("Users", bob.getId(), UserResource.class);
		assertThat(bobRead.getGroups()).extracting((group) -> group.getValue()).containsExactly(created.getId());

		ScimClient.Answer renamed = this.client.send("PATCH", path,
				ScimClient.fixture("entra-group-rename.json", Map.of("displayName", "Former partners")));
		assertThat(renamed.status()).isEqualTo(200);
		assertThat(areaOf(bob)).isEqualTo("Primary Area");

		ScimClient.Answer renamedBack = this.client.send("PATCH", path, ScimClient.fixture("okta-group-rename.json",
				Map.of("groupId", created.getId(), "displayName", "Partners")));
		assertThat(renamedBack.status()).as(renamedBack.body()).isEqualTo(200);
		assertThat(renamedBack.json().path("displayName").asText()).isEqualTo("Partners");
		assertThat(areaOf(bob)).isEqualTo(PARTNER_AREA);

		this.client.scim().delete("Groups", created.getId());
		assertThatExceptionOfType(ResourceNotFoundException.class)
			.isThrownBy(() -> this.client.scim().retrieve("Groups", created.getId(), GroupResource.class));
		assertThat(Pools.counter(this.jdbc, "EXTRANET")).isZero();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(2);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from audit_event where action like 'SCIM_GROUP_%' " + "and actor = ?", Integer.class,
				this.client.actor()))
			.isGreaterThanOrEqualTo(6);
	}

	@Test
	void returnsOnlyTheAttributesAskedFor() throws Exception {
		UserResource alice = this.client.scim().create("Users", aUser("alice@example.org", "ext-alice"));

		JsonNode only = this.client.send("GET", "/Users/" + alice.getId() + "?attributes=userName,name.givenName", null)
			.json();
		assertThat(only.has("userName")).isTrue();
		assertThat(only.has("id")).isTrue();
		assertThat(only.has("emails")).isFalse();
		assertThat(only.path("name").has("givenName")).isTrue();
		assertThat(only.path("name").has("familyName")).isFalse();

		JsonNode without = this.client.send("GET", "/Users?excludedAttributes=emails,groups", null).json();
		assertThat(without.path("Resources").get(0).has("emails")).isFalse();
		assertThat(without.path("Resources").get(0).has("userName")).isTrue();

		GenericScimResource generic = this.client.scim()
			.retrieveRequest("Users", alice.getId())
			.attributes("userName")
			.invoke(GenericScimResource.class);
		assertThat(generic.getObjectNode().has("active")).isFalse();
	}

	@Test
	void queuesAUserWhenThePoolIsFull() throws Exception {
		Pools.reset(this.jdbc, 1, 0);
		this.client.scim().create("Users", aUser("alice@example.org", "ext-alice"));

		ScimClient.Answer queued = this.client.send("POST", "/Users",
				ScimClient.userJson("bob@example.org", "ext-bob"));

		assertThat(queued.status()).isEqualTo(201);
		assertThat(queued.json().path("active").asBoolean(true)).isFalse();
		assertThat(queued.json().path(SEATKEEPER).path("licenseState").asText()).isEqualTo("AWAITING_LICENSE");
		assertThat(queued.json().path(SEATKEEPER).path("position").asInt()).isEqualTo(1);
		assertThat(queued.json().path("schemas").toString()).contains(SEATKEEPER);
	}

	@Test
	void refusesARequestWithoutATokenOrWithoutTheScimScope() {
		ScimClient.Answer none = this.client.send("GET", "/Users", null, null);
		assertThat(none.status()).isEqualTo(401);
		assertThat(none.contentType()).startsWith("application/scim+json");
		assertThat(none.json().path("status").asText()).isEqualTo("401");

		assertThat(this.client.send("GET", "/Users", null, "skt_not-a-token").status()).isEqualTo(401);

		try (ScimClient reader = ScimClient.withNewToken(this.tokens, this.port, TokenScope.API_READ)) {
			ScimClient.Answer forbidden = reader.send("GET", "/Users", null);
			assertThat(forbidden.status()).isEqualTo(403);
			assertThat(forbidden.json().path("schemas").get(0).asText())
				.isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
		}
	}

	private List<String> search(String filter) throws Exception {
		return this.client.scim()
			.searchRequest("Users")
			.filter(filter)
			.invoke(UserResource.class)
			.getResources()
			.stream()
			.map(UserResource::getUserName)
			.toList();
	}

	private String areaOf(UserResource user) {
		return this.jdbc.queryForObject("select a.name from profile p join area a on a.id = p.area_id where p.id = ?",
				String.class, Long.parseLong(user.getId()));
	}

	private static UserResource aUser(String userName, String externalId) {
		UserResource user = new UserResource().setUserName(userName)
			.setName(new Name()
				.setGivenName(Character.toUpperCase(userName.charAt(0)) + userName.substring(1, userName.indexOf('@')))
				.setFamilyName("Example"))
			.setEmails(List.of(new Email().setValue(userName).setType("work").setPrimary(true)))
			.setActive(true);
		user.setExternalId(externalId);
		return user;
	}

}
