package io.seatkeeper.notification;

import io.seatkeeper.Pools;
import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.people.PeopleService;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static io.seatkeeper.NewProfiles.aProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Without {@code spring.mail.host} the outbox still fills, and the console says that mail
 * is not configured.
 */
@SpringBootTest(properties = "seatkeeper.mail.poll-interval=100ms")
@AutoConfigureMockMvc
@Tag("database")
class OutboxWithoutMailServerTests {

	@Autowired
	PeopleService people;

	@Autowired
	ResponsiblePerson responsiblePerson;

	@Autowired
	MailOutbox outbox;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MockMvc mvc;

	@Test
	void queuesTheMailAndSaysMailIsNotConfigured() throws Exception {
		Pools.reset(this.jdbc, 1, 1);
		this.responsiblePerson.change("licences@example.org", "admin");
		this.people.create(aProfile("alice"), "admin");
		assertThatExceptionOfType(LicenseLimitExceeded.class)
			.isThrownBy(() -> this.people.create(aProfile("bob"), "admin"));

		assertThat(this.outbox.drain()).isZero();
		assertThat(this.jdbc.queryForObject("select count(*) from mail_outbox where sent_at is null and attempts = 0",
				Integer.class))
			.isEqualTo(1);
		String page = this.mvc.perform(get("/admin/system/mail").with(user("admin").roles("SYSADMIN")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("id=\"mail-not-configured\"")
			.contains("mail is not configured".substring(1))
			.contains("licences@example.org")
			.contains("Queued, next attempt");
		this.mvc.perform(post("/admin/system/license/test-mail").with(user("admin").roles("SYSADMIN")).with(csrf()))
			.andExpect(flash().attribute("failure", "mail.test.notConfigured"));
	}

}
