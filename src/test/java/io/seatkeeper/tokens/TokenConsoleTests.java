package io.seatkeeper.tokens;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Admin &gt; System &gt; API tokens: a sysadmin creates a token and sees its secret once,
 * then only its first characters; a mistake is named on its field and creates nothing;
 * revoking shows the token revoked. (Who may open it: {@code SecurityTests}.)
 */
@SpringBootTest
@AutoConfigureMockMvc
class TokenConsoleTests {

	private static final Pattern SECRET = Pattern.compile("id=\"token-secret\"[^>]*value=\"(skt_[^\"]+)\"");

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void clean() {
		this.jdbc.update("delete from api_token");
	}

	@Test
	void aSysadminCreatesATokenAndSeesItsSecretOnce() throws Exception {
		String page = this.mvc
			.perform(post("/admin/system/tokens").with(user("admin").roles("SYSADMIN"))
				.with(csrf())
				.param("name", "Entra ID")
				.param("scope", "SCIM")
				.param("expiresOn", "2999-01-31"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();

		Matcher secret = SECRET.matcher(page);
		assertThat(secret.find()).as("the secret is shown").isTrue();
		assertThat(page).contains("The token Entra ID is created.").contains("it is not shown again");
		assertThat(this.jdbc.queryForObject("select count(*) from api_token where name = 'Entra ID'", Integer.class))
			.isOne();

		String again = this.mvc.perform(get("/admin/system/tokens").with(user("admin").roles("SYSADMIN")))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(again).doesNotContain(secret.group(1))
			.contains(secret.group(1).substring(0, 8) + "…")
			.contains("Entra ID")
			.contains("2999-01-31")
			.contains("not yet");
	}

	@Test
	void aMistakeIsNamedOnItsFieldAndCreatesNothing() throws Exception {
		String page = this.mvc.perform(
				post("/admin/system/tokens").with(user("admin").roles("SYSADMIN")).with(csrf()).param("name", "script"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("Choose at least one scope.").doesNotContain("token-secret");

		String badDate = this.mvc
			.perform(post("/admin/system/tokens").with(user("admin").roles("SYSADMIN"))
				.with(csrf())
				.param("name", "script")
				.param("scope", "API_READ")
				.param("expiresOn", "31/12/2999"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(badDate).contains("Enter the expiry as a date (YYYY-MM-DD).");
		assertThat(this.jdbc.queryForObject("select count(*) from api_token", Integer.class)).isZero();
	}

	@Test
	void revokingShowsTheTokenRevoked() throws Exception {
		this.mvc.perform(post("/admin/system/tokens").with(user("admin").roles("SYSADMIN"))
			.with(csrf())
			.param("name", "old")
			.param("scope", "API_READ"));
		long id = this.jdbc.queryForObject("select id from api_token where name = 'old'", Long.class);

		this.mvc
			.perform(post("/admin/system/tokens/{id}/revoke", id).with(user("admin").roles("SYSADMIN")).with(csrf()))
			.andExpect(redirectedUrl("/admin/system/tokens"))
			.andExpect(flash().attribute("revoked", "old"));
		assertThat(this.jdbc.queryForObject("select revoked_by from api_token where id = ?", String.class, id))
			.isEqualTo("admin");
		String page = this.mvc.perform(get("/admin/system/tokens").with(user("admin").roles("SYSADMIN")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("revoked");
	}

}
