package io.seatkeeper.license;

import java.time.Duration;
import java.time.LocalDate;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.seatkeeper.Pools;
import io.seatkeeper.notification.ResponsiblePerson;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The expiry notice (R14): from 30 days before the key expires, one mail to the
 * responsible person per key, through the outbox and a real SMTP server.
 */
@SpringBootTest(properties = { "seatkeeper.mail.poll-interval=100ms", "seatkeeper.mail.site-name=Intranet of Example" })
class LicenseExpiryMailTests {

	static final String RESPONSIBLE = "licences@example.org";

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
	LicenseKeys keys;

	@Autowired
	ResponsiblePerson responsiblePerson;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void evaluationLicence() throws Exception {
		Pools.reset(this.jdbc, 25, 5);
		this.jdbc.update("update license_pool set expires_on = null");
		this.jdbc.update("delete from license_key");
		this.jdbc.update("delete from audit_event");
		this.responsiblePerson.change(RESPONSIBLE, "admin");
		greenMail.purgeEmailFromAllMailboxes();
	}

	@Test
	void mailsTheResponsiblePersonOncePerKeyFromThirtyDaysBefore() throws Exception {
		this.keys.apply(DevKeys.sign(10, DevKeys.LICENSEE, 40, 10, LocalDate.now().plusDays(31), null), "admin");
		this.keys.noticeExpiry();
		assertThat(expiryNotices()).as("31 days before: not yet").isZero();

		LocalDate expires = LocalDate.now().plusDays(20);
		this.keys.apply(DevKeys.sign(11, DevKeys.LICENSEE, 40, 10, expires, null), "admin");
		this.keys.noticeExpiry();
		this.keys.noticeExpiry();

		await().atMost(Duration.ofSeconds(20)).until(() -> greenMail.getReceivedMessages().length == 1);
		assertThat(greenMail.getReceivedMessages()[0].getAllRecipients()[0].toString()).isEqualTo(RESPONSIBLE);
		assertThat(greenMail.getReceivedMessages()[0].getSubject())
			.isEqualTo("[Intranet of Example] The licence expires after " + expires);
		assertThat(GreenMailUtil.getBody(greenMail.getReceivedMessages()[0])).contains("20 days left");
		assertThat(expiryNotices()).as("once per key").isEqualTo(1);

		this.keys.apply(DevKeys.sign(12, DevKeys.LICENSEE, 40, 10, LocalDate.now().plusDays(5), null), "admin");
		this.keys.noticeExpiry();
		assertThat(expiryNotices()).as("a new key has its own notice").isEqualTo(2);
		await().atMost(Duration.ofSeconds(20)).until(() -> greenMail.getReceivedMessages().length == 2);
	}

	@Test
	void aKeyWithoutExpiryIsNeverNoticed() {
		this.keys.apply(DevKeys.sign(20, 40, 10), "admin");
		this.keys.noticeExpiry();
		assertThat(expiryNotices()).isZero();
	}

	private int expiryNotices() {
		return this.jdbc.queryForObject("select count(*) from audit_event where action = 'LICENSE_EXPIRING'",
				Integer.class);
	}

}
