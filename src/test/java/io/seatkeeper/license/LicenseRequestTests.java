package io.seatkeeper.license;

import java.time.Duration;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.seatkeeper.Pools;
import io.seatkeeper.people.PeopleService;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Licence requests (R14): the rules of add and move, the mail to the vendor through the
 * outbox and a real SMTP server (GreenMail), fulfilled by the key that names the request,
 * withdrawn.
 */
@SpringBootTest(properties = { "seatkeeper.license.vendor-email=licensing@vendor.example",
		"seatkeeper.mail.poll-interval=100ms", "seatkeeper.mail.site-name=Intranet of Example" })
@AutoConfigureMockMvc
@Tag("database")
class LicenseRequestTests {

	static final String VENDOR = "licensing@vendor.example";

	@RegisterExtension
	static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
		.withPerMethodLifecycle(false);

	@DynamicPropertySource
	static void mailServerAndVendorKey(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> greenMail.getSmtp().getPort());
		registry.add("seatkeeper.license.vendor-public-key", () -> DevKeys.PUBLIC_KEY);
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	PeopleService people;

	@Autowired
	LicenseKeys keys;

	@BeforeEach
	void evaluationLicence() throws Exception {
		Pools.reset(this.jdbc, 25, 5);
		this.jdbc.update("delete from license_request");
		this.jdbc.update("delete from license_key");
		this.jdbc.update("delete from audit_event");
		// The mail of the test before may still be on its way: wait for it, so that it
		// does not land in this test's mailbox.
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.jdbc.queryForObject("select count(*) from mail_outbox where sent_at is null",
					Integer.class) == 0);
		greenMail.purgeEmailFromAllMailboxes();
	}

	@Test
	void prefillsTheFormWithTheCurrentCounts() throws Exception {
		create("anna");
		this.mvc.perform(get("/admin/system/license/requests").with(admin()))
			.andExpect(status().isOk())
			.andExpect(content().string(
					containsString("Now: Max_Users 25 (1 active, 24 free), Max_extranet_users 5 (0 active, 5 free).")))
			.andExpect(content().string(containsString("value=\"5\"")));
	}

	@Test
	void filesAnAddRequestAndMailsItToTheVendor() throws Exception {
		create("anna");
		this.mvc
			.perform(post("/admin/system/license/requests").param("kind", "ADD")
				.param("pool", "PRIMARY")
				.param("amount", "10")
				.param("comment", "New team in March")
				.with(admin())
				.with(csrf()))
			.andExpect(redirectedUrl("/admin/system/license/requests"))
			.andExpect(flash().attribute("success", "license.request.filed.mailed"));

		long id = this.jdbc.queryForObject("select id from license_request", Long.class);
		assertThat(this.jdbc.queryForObject("select status from license_request", String.class)).isEqualTo("SUBMITTED");
		await().atMost(Duration.ofSeconds(20)).until(() -> greenMail.getReceivedMessages().length == 1);
		MimeMessage mail = greenMail.getReceivedMessages()[0];
		assertThat(mail.getAllRecipients()[0].toString()).isEqualTo(VENDOR);
		assertThat(mail.getSubject())
			.isEqualTo("[Intranet of Example] Licence request R-" + id + " from (evaluation licence, no licensee yet)");
		String body = GreenMailUtil.getBody(mail);
		assertThat(body).contains("add 10 licences to Max_Users", "New team in March", "Max_Users = 25, 1 active",
				"Max_extranet_users = 5, 0 active", "--request R-" + id);
		assertThat(this.jdbc.queryForList("select details from audit_event where action = 'LICENSE_REQUEST_FILED'",
				String.class))
			.singleElement()
			.asString()
			.contains("ADD 10 to PRIMARY");
		this.mvc.perform(get("/admin/system/license/requests").with(admin()))
			.andExpect(content().string(containsString("Add 10 to Max_Users")))
			.andExpect(content().string(containsString("submitted")));
	}

	@Test
	void namesTheLicenseeOnceAKeyHasBeenApplied() throws Exception {
		this.keys.apply(DevKeys.sign(100, 25, 5), "admin");
		this.mvc
			.perform(post("/admin/system/license/requests").param("kind", "ADD")
				.param("pool", "EXTRANET")
				.param("amount", "5")
				.with(admin())
				.with(csrf()))
			.andExpect(redirectedUrl("/admin/system/license/requests"));
		await().atMost(Duration.ofSeconds(20)).until(() -> greenMail.getReceivedMessages().length == 1);
		assertThat(greenMail.getReceivedMessages()[0].getSubject()).endsWith("from Example Corp");
	}

	@Test
	void refusesToAddFewerThanFive() throws Exception {
		this.mvc
			.perform(post("/admin/system/license/requests").param("kind", "ADD")
				.param("pool", "PRIMARY")
				.param("amount", "4")
				.with(admin())
				.with(csrf()))
			.andExpect(status().isBadRequest())
			.andExpect(content().string(containsString("At least 5 licences can be added at one time.")));
		assertThat(requests()).isZero();
	}

	@Test
	void refusesToMoveMoreThanAreFreeInTheSourcePool() throws Exception {
		create("anna");
		create("bert");
		create("carl");
		this.mvc
			.perform(post("/admin/system/license/requests").param("kind", "MOVE")
				.param("pool", "EXTRANET")
				.param("amount", "23")
				.with(admin())
				.with(csrf()))
			.andExpect(status().isBadRequest())
			.andExpect(content().string(containsString("Only 22 licences are free in the Max_Users pool now")));
		assertThat(requests()).isZero();
		this.mvc
			.perform(post("/admin/system/license/requests").param("kind", "MOVE")
				.param("pool", "EXTRANET")
				.param("amount", "0")
				.with(admin())
				.with(csrf()))
			.andExpect(status().isBadRequest())
			.andExpect(content().string(containsString("At least 1 licence must be moved.")));

		this.mvc
			.perform(post("/admin/system/license/requests").param("kind", "MOVE")
				.param("pool", "EXTRANET")
				.param("amount", "22")
				.with(admin())
				.with(csrf()))
			.andExpect(redirectedUrl("/admin/system/license/requests"));
		assertThat(this.jdbc.queryForObject("select from_pool || '>' || to_pool || ':' || amount from license_request",
				String.class))
			.isEqualTo("PRIMARY>EXTRANET:22");
		await().atMost(Duration.ofSeconds(20)).until(() -> greenMail.getReceivedMessages().length == 1);
		assertThat(GreenMailUtil.getBody(greenMail.getReceivedMessages()[0]))
			.contains("move 22 licences from Max_Users to Max_extranet_users");
	}

	@Test
	void refusesAnAmountThatIsNotANumberAndAMissingKind() throws Exception {
		this.mvc
			.perform(post("/admin/system/license/requests").param("pool", "PRIMARY")
				.param("amount", "ten")
				.with(admin())
				.with(csrf()))
			.andExpect(status().isBadRequest())
			.andExpect(content().string(containsString("Give the number of licences as a whole number.")))
			.andExpect(content().string(containsString("Choose whether to add or to move licences.")));
		assertThat(requests()).isZero();
	}

	@Test
	void aKeyThatNamesTheRequestMarksItFulfilled() throws Exception {
		this.mvc.perform(post("/admin/system/license/requests").param("kind", "ADD")
			.param("pool", "PRIMARY")
			.param("amount", "15")
			.with(admin())
			.with(csrf()));
		long id = this.jdbc.queryForObject("select id from license_request", Long.class);

		this.keys.apply(DevKeys.sign(9000, DevKeys.LICENSEE, 40, 5, null, "R-" + id), "admin");

		assertThat(this.jdbc.queryForObject("select status || ' ' || fulfilled_by_serial from license_request",
				String.class))
			.isEqualTo("FULFILLED 9000");
		this.mvc.perform(get("/admin/system/license/requests").with(admin()))
			.andExpect(content().string(containsString("fulfilled by key serial 9000")));
		this.mvc.perform(get("/admin/system/license").with(admin()))
			.andExpect(content().string(containsString("<td class=\"request\">R-" + id + "</td>")));
	}

	@Test
	void withdrawsASubmittedRequestOnlyOnce() throws Exception {
		this.mvc.perform(post("/admin/system/license/requests").param("kind", "ADD")
			.param("pool", "PRIMARY")
			.param("amount", "5")
			.with(admin())
			.with(csrf()));
		long id = this.jdbc.queryForObject("select id from license_request", Long.class);

		this.mvc.perform(post("/admin/system/license/requests/{id}/withdraw", id).with(admin()).with(csrf()))
			.andExpect(redirectedUrl("/admin/system/license/requests"))
			.andExpect(flash().attribute("success", "license.request.withdrawn"));
		assertThat(this.jdbc.queryForObject("select status from license_request", String.class)).isEqualTo("WITHDRAWN");
		assertThat(this.jdbc.queryForList("select details from audit_event where action = 'LICENSE_REQUEST_WITHDRAWN'",
				String.class))
			.containsExactly("request=R-" + id);

		this.mvc.perform(post("/admin/system/license/requests/{id}/withdraw", id).with(admin()).with(csrf()))
			.andExpect(flash().attribute("failure", "license.request.notSubmitted"));
		this.mvc.perform(post("/admin/system/license/requests/{id}/withdraw", id + 1000).with(admin()).with(csrf()))
			.andExpect(status().isNotFound());
		this.keys.apply(DevKeys.sign(9100, DevKeys.LICENSEE, 40, 5, null, "R-" + id), "admin");
		assertThat(this.jdbc.queryForObject("select status from license_request", String.class))
			.as("a withdrawn request stays withdrawn")
			.isEqualTo("WITHDRAWN");
	}

	private int requests() {
		return this.jdbc.queryForObject("select count(*) from license_request", Integer.class);
	}

	private void create(String username) {
		this.people.create(aProfile(username), "admin");
	}

	private static RequestPostProcessor admin() {
		return user("admin").roles("SYSADMIN", "PEOPLE_ADMIN");
	}

}
