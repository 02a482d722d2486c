package io.seatkeeper.license;

import java.time.LocalDate;
import java.util.List;

import io.seatkeeper.Pools;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileState;
import io.seatkeeper.people.ProfileView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Licence keys signed by the vendor (R14): verified, previewed, applied in one
 * transaction; every kind of bad key refused with its reason, changing nothing; an
 * expired licence refuses new activations and keeps the active.
 */
@SpringBootTest
@AutoConfigureMockMvc
@Tag("database")
class LicenseKeyTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	LicenseKeys keys;

	@Autowired
	PeopleService people;

	@Autowired
	LicenseService licenses;

	@DynamicPropertySource
	static void vendorKey(DynamicPropertyRegistry registry) {
		registry.add("seatkeeper.license.vendor-public-key", () -> DevKeys.PUBLIC_KEY);
	}

	@BeforeEach
	void evaluationLicence() {
		Pools.reset(this.jdbc, 25, 5);
		this.jdbc.update("update license_pool set expires_on = null");
		this.jdbc.update("delete from license_key");
		this.jdbc.update("delete from audit_event");
	}

	@Test
	void appliesAKeySignedByTheVendorAndTheTotalsChange() throws Exception {
		String key = DevKeys.sign(1001, 40, 10);

		this.mvc.perform(post("/admin/system/license/key/preview").param("key", key).with(admin()).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Key 1001 for Example Corp")))
			.andExpect(content().string(containsString("<td class=\"then\">40</td>")))
			.andExpect(content().string(containsString("<td class=\"now\">25</td>")));
		assertThat(maxima()).as("the preview changes nothing").containsExactly(25, 5);

		this.mvc.perform(post("/admin/system/license/key").param("key", key).with(admin()).with(csrf()))
			.andExpect(redirectedUrl("/admin/system/license"))
			.andExpect(flash().attribute("success", "license.key.applied"));

		assertThat(maxima()).containsExactly(40, 10);
		assertThat(this.licenses.usage(Pool.PRIMARY).max()).isEqualTo(40);
		assertThat(this.keys.current()).hasValueSatisfying((current) -> {
			assertThat(current.serial()).isEqualTo(1001);
			assertThat(current.licensee()).isEqualTo("Example Corp");
		});
		assertThat(audit("LICENSE_KEY_APPLIED")).singleElement()
			.asString()
			.contains("serial=1001", "Max_Users 25 -> 40", "Max_extranet_users 5 -> 10");
		this.mvc.perform(get("/api/v1/license").with(admin()))
			.andExpect(jsonPath("$.pools[0].max").value(40))
			.andExpect(jsonPath("$.key.serial").value(1001))
			.andExpect(jsonPath("$.key.licensee").value("Example Corp"))
			.andExpect(jsonPath("$.key.issued").value(LocalDate.now().toString()));
		this.mvc.perform(get("/admin/system/license").with(admin()))
			.andExpect(content().string(containsString("<td class=\"serial\">1001</td>")))
			.andExpect(content().string(containsString("<td class=\"licensee\">Example Corp</td>")));
	}

	@Test
	void appliesAnUploadedKeyFile() throws Exception {
		String key = DevKeys.sign(1002, 30, 6);
		MockMultipartFile file = new MockMultipartFile("file", "seatkeeper.key", MediaType.TEXT_PLAIN_VALUE,
				(key + "\n").getBytes());
		this.mvc.perform(multipart("/admin/system/license/key/preview").file(file).with(admin()).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Key 1002 for Example Corp")));
		this.mvc.perform(post("/admin/system/license/key").param("key", key).with(admin()).with(csrf()))
			.andExpect(flash().attribute("success", "license.key.applied"));
		assertThat(maxima()).containsExactly(30, 6);
	}

	@Test
	void refusesAKeyWithOneCharacterChanged() throws Exception {
		String key = DevKeys.sign(1003, 40, 10);
		int dot = key.indexOf('.');
		// A character in the middle of the claims: still base64url, but not what was
		// signed.
		int at = dot + 10;
		char changed = (key.charAt(at) == 'A') ? 'B' : 'A';
		String tampered = key.substring(0, at) + changed + key.substring(at + 1);
		assertRefused(tampered, "SIGNATURE");
	}

	@Test
	void refusesAKeyWithItsSignatureChanged() throws Exception {
		String key = DevKeys.sign(1004, 40, 10);
		int at = key.lastIndexOf('.') + 5;
		char changed = (key.charAt(at) == 'A') ? 'B' : 'A';
		assertRefused(key.substring(0, at) + changed + key.substring(at + 1), "SIGNATURE");
	}

	@Test
	void refusesAKeyFromAnotherKeyPair() throws Exception {
		assertRefused(DevKeys.signWithAnotherKeyPair(1005, 40, 10), "SIGNATURE");
	}

	@Test
	void refusesAnExpiredKey() throws Exception {
		assertRefused(DevKeys.sign(1006, DevKeys.LICENSEE, 40, 10, LocalDate.now().minusDays(1), null), "EXPIRED");
	}

	@Test
	void refusesAMalformedKey() throws Exception {
		assertRefused("not a key", "MALFORMED");
		assertRefused("", "MALFORMED");
		assertRefused("eyJhbGciOiJFZERTQSJ9.e30.AAAA", "MALFORMED");
	}

	@Test
	void refusesAnOlderKeyOrTheSameKeyAgain() throws Exception {
		this.keys.apply(DevKeys.sign(2000, 40, 10), "admin");
		assertRefused(DevKeys.sign(1999, 100, 100), "OLDER", 40, 10);
		assertRefused(DevKeys.sign(2000, 40, 10), "OLDER", 40, 10);
	}

	@Test
	void refusesAKeyForAnotherLicensee() throws Exception {
		this.keys.apply(DevKeys.sign(3000, 40, 10), "admin");
		assertRefused(DevKeys.sign(3001, "Other Corp", 100, 100, null, null), "LICENSEE", 40, 10);
		this.keys.apply(DevKeys.sign(3002, "example corp", 50, 10, null, null), "admin");
		assertThat(maxima()).as("the licensee's name is compared without case").containsExactly(50, 10);
	}

	@Test
	void previewsAndAppliesAKeyThatLeavesAPoolOverItsMaximum() throws Exception {
		List<ProfileView> active = List.of(create("anna"), create("bert"), create("carl"), create("dora"));

		this.mvc
			.perform(post("/admin/system/license/key/preview").param("key", DevKeys.sign(4000, 2, 5))
				.with(admin())
				.with(csrf()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"overage-PRIMARY\"")))
			.andExpect(content().string(containsString("Max_Users would be 2 over its maximum")))
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString("id=\"overage-EXTRANET\""))));

		this.keys.apply(DevKeys.sign(4000, 2, 5), "admin");

		assertThat(maxima()).containsExactly(2, 5);
		assertThat(Pools.activeRows(this.jdbc, "PRIMARY")).as("nobody is blocked").isEqualTo(4);
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(4);
		this.mvc.perform(get("/admin/system/license").with(admin()))
			.andExpect(content().string(containsString(
					"The Primary pool is over its maximum: 4 profiles are active for 2 licences of Max_Users, 2 too many")));
		assertThatExceptionOfType(LicenseLimitExceeded.class).isThrownBy(() -> create("emil"));
		// Block, delete and move-out still work in the pool that is over.
		this.people.block(active.get(0).id(), "admin");
		this.people.delete(active.get(1).id(), "bert", "admin");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(2);
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	@Test
	void anExpiredLicenceRefusesNewActivationsAndKeepsTheActive() throws Exception {
		ProfileView kept = create("anna");
		ProfileView blocked = this.people.block(create("bert").id(), "admin");
		this.keys.apply(DevKeys.sign(5000, DevKeys.LICENSEE, 40, 10, LocalDate.now(), null), "admin");
		assertThat(create("carl").state()).as("valid through its last day").isEqualTo(ProfileState.ACTIVE);
		// The days pass.
		expireYesterday();

		assertThatExceptionOfType(LicenseLimitExceeded.class).isThrownBy(() -> create("dora"))
			.satisfies((refusal) -> assertThat(refusal.expired()).isTrue());
		this.mvc
			.perform(post("/admin/people/{id}/reinstate", blocked.id()).with(user("admin").roles("PEOPLE_ADMIN"))
				.with(csrf()))
			.andExpect(content().string(containsString("The licence expired after")));
		this.mvc
			.perform(post("/api/v1/profiles").with(admin())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\":\"emil\",\"email\":\"emil@example.org\",\"firstName\":\"E\","
						+ "\"lastName\":\"L\",\"password\":\"a-long-password-1\"}"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value("urn:seatkeeper:problem:license-expired"));
		this.mvc.perform(get("/admin/system/license").with(admin()))
			.andExpect(content().string(containsString("The licence expired after")));
		String report = this.mvc
			.perform(post("/api/v1/profiles/import").param("mode", "as-many-as-fit")
				.contentType("text/csv")
				.content("username,email\ngreta,greta@example.org\n")
				.with(admin()))
			.andExpect(status().isConflict())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String jobId = com.jayway.jsonpath.JsonPath.read(report, "$.jobId");
		this.mvc.perform(get("/admin/people/import/{id}", jobId).with(admin()))
			.andExpect(content().string(containsString("The import was refused: the licence expired")));

		assertThat(this.people.find(kept.id()).orElseThrow().state()).isEqualTo(ProfileState.ACTIVE);
		assertThat(Pools.activeRows(this.jdbc, "PRIMARY")).isEqualTo(2);
		assertThat(this.licenses.expired()).isTrue();
		this.people.block(kept.id(), "admin");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isEqualTo(1);

		this.keys.apply(DevKeys.sign(5001, 40, 10), "admin");
		assertThat(this.licenses.expired()).as("a new key without expiry").isFalse();
		assertThat(create("fred").state()).isEqualTo(ProfileState.ACTIVE);
	}

	@Test
	void showsAnExpiryBannerFromThirtyDaysBefore() throws Exception {
		this.keys.apply(DevKeys.sign(6000, DevKeys.LICENSEE, 40, 10, LocalDate.now().plusDays(31), null), "admin");
		this.mvc.perform(get("/admin/system").with(admin()))
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString("id=\"license-expiry\""))));
		this.keys.apply(DevKeys.sign(6001, DevKeys.LICENSEE, 40, 10, LocalDate.now().plusDays(30), null), "admin");
		this.mvc.perform(get("/admin/system").with(admin()))
			.andExpect(content().string(containsString("id=\"license-expiry\"")))
			.andExpect(content().string(containsString("30 days left")));
	}

	private void assertRefused(String key, String reason) throws Exception {
		assertRefused(key, reason, 25, 5);
	}

	private void assertRefused(String key, String reason, int maxUsers, int maxExtranetUsers) throws Exception {
		int keysBefore = this.jdbc.queryForObject("select count(*) from license_key", Integer.class);
		this.mvc.perform(post("/admin/system/license/key/preview").param("key", key).with(admin()).with(csrf()))
			.andExpect(redirectedUrl("/admin/system/license"))
			.andExpect(flash().attribute("failure", "license.key.refused." + reason));
		this.mvc.perform(post("/admin/system/license/key").param("key", key).with(admin()).with(csrf()))
			.andExpect(redirectedUrl("/admin/system/license"))
			.andExpect(flash().attribute("failure", "license.key.refused." + reason));
		assertThat(maxima()).as("nothing changed").containsExactly(maxUsers, maxExtranetUsers);
		assertThat(this.jdbc.queryForObject("select count(*) from license_key", Integer.class)).isEqualTo(keysBefore);
		assertThat(audit("LICENSE_KEY_REFUSED")).last().asString().contains("reason=" + reason);
	}

	private void expireYesterday() {
		this.jdbc.update("update license_pool set expires_on = ?", java.sql.Date.valueOf(LocalDate.now().minusDays(1)));
		this.jdbc.update("update license_key set expires_on = ?", java.sql.Date.valueOf(LocalDate.now().minusDays(1)));
	}

	private ProfileView create(String username) {
		return this.people.create(aProfile(username), "admin");
	}

	private List<Integer> maxima() {
		return this.jdbc.queryForList(
				"select max_users from license_pool order by case pool when 'PRIMARY' then 0 else 1 end",
				Integer.class);
	}

	private List<String> audit(String action) {
		return this.jdbc.queryForList("select details from audit_event where action = ? order by id", String.class,
				action);
	}

	private static org.springframework.test.web.servlet.request.RequestPostProcessor admin() {
		return user("admin").roles("SYSADMIN", "PEOPLE_ADMIN");
	}

}
