package io.seatkeeper.people;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.seatkeeper.SeatkeeperApplication;
import io.seatkeeper.TestDatabase;
import io.seatkeeper.license.DevKeys;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first start of a site: the built-in administrator and the pools, created once.
 */
@ExtendWith(OutputCaptureExtension.class)
@Tag("database")
class BuiltInAdministratorTests {

	private static final Pattern GENERATED = Pattern.compile("generated password:\\s+(\\S+)");

	@Test
	void takesThePasswordFromTheEnvironment() {
		Map<String, Object> database = TestDatabase.newDatabaseProperties();
		try (ConfigurableApplicationContext site = start(database, "--seatkeeper.admin.password=correct-horse-9")) {
			String hash = adminHash(site);
			assertThat(site.getBean(PasswordEncoder.class).matches("correct-horse-9", hash)).isTrue();
			assertThat(site.getBean(PeopleService.class).findByUsername("admin")).hasValueSatisfying((admin) -> {
				assertThat(admin.builtIn()).isTrue();
				assertThat(admin.sysadmin()).isTrue();
				assertThat(admin.peopleAdmin()).isTrue();
				assertThat(admin.usesLicense()).isFalse();
			});
		}
	}

	@Test
	void generatesAPasswordAndPrintsItOnlyOnce(CapturedOutput output) {
		Map<String, Object> database = TestDatabase.newDatabaseProperties();
		String password;
		try (ConfigurableApplicationContext site = start(database)) {
			Matcher matcher = GENERATED.matcher(output.getOut());
			assertThat(matcher.find()).as("the generated password is printed").isTrue();
			password = matcher.group(1);
			assertThat(site.getBean(PasswordEncoder.class).matches(password, adminHash(site))).isTrue();
		}
		int printed = count(output.getOut());
		try (ConfigurableApplicationContext again = start(database)) {
			assertThat(count(output.getOut())).as("a second start prints nothing").isEqualTo(printed);
			assertThat(again.getBean(PasswordEncoder.class).matches(password, adminHash(again))).isTrue();
			assertThat(again.getBean(JdbcTemplate.class)
				.queryForObject("select count(*) from profile where built_in = true", Integer.class)).isEqualTo(1);
		}
	}

	@Test
	void appliesTheKeyOfTheSettingsAtStartAndLeavesItAloneOnTheNextStarts() {
		Map<String, Object> database = TestDatabase.newDatabaseProperties();
		String vendor = "--seatkeeper.license.vendor-public-key=" + DevKeys.PUBLIC_KEY_BASE64;
		String key = "--seatkeeper.license.key=" + DevKeys.sign(7, 7, 3);
		try (ConfigurableApplicationContext site = start(database, vendor, key)) {
			assertThat(maxima(site)).containsExactly(7, 3);
		}
		try (ConfigurableApplicationContext site = start(database, vendor, key)) {
			assertThat(maxima(site)).as("the same key again is no change").containsExactly(7, 3);
			assertThat(
					site.getBean(JdbcTemplate.class).queryForObject("select count(*) from license_key", Integer.class))
				.isEqualTo(1);
		}
		try (ConfigurableApplicationContext site = start(database, vendor,
				"--seatkeeper.license.key=" + DevKeys.sign(6, 70, 30))) {
			assertThat(maxima(site)).as("an older key is left alone").containsExactly(7, 3);
		}
		try (ConfigurableApplicationContext site = start(database, vendor, "--seatkeeper.license.key=not-a-key")) {
			assertThat(maxima(site)).as("a bad key does not stop the start").containsExactly(7, 3);
			assertThat(site.getBean(JdbcTemplate.class)
				.queryForList("select details from audit_event where action = 'LICENSE_KEY_REFUSED'", String.class))
				.singleElement()
				.asString()
				.contains("reason=MALFORMED");
		}
	}

	@Test
	void freshSiteHasThePrimaryAreaAndDefaultPools() {
		try (ConfigurableApplicationContext site = start(TestDatabase.newDatabaseProperties())) {
			assertThat(maxima(site)).containsExactly(25, 5);
			assertThat(site.getBean(AreaService.class).list()).singleElement().satisfies((area) -> {
				assertThat(area.name()).isEqualTo("Primary Area");
				assertThat(area.primary()).isTrue();
			});
		}
	}

	private static List<Integer> maxima(ConfigurableApplicationContext site) {
		return site.getBean(JdbcTemplate.class)
			.queryForList("select max_users from license_pool order by case pool when 'PRIMARY' then 0 else 1 end",
					Integer.class);
	}

	private static String adminHash(ConfigurableApplicationContext site) {
		return site.getBean(JdbcTemplate.class)
			.queryForObject("select password_hash from profile where username_key = 'admin'", String.class);
	}

	private static int count(String output) {
		Matcher matcher = GENERATED.matcher(output);
		int found = 0;
		while (matcher.find()) {
			found++;
		}
		return found;
	}

	private static ConfigurableApplicationContext start(Map<String, Object> database, String... extra) {
		List<String> args = new ArrayList<>();
		database.forEach((key, value) -> args.add("--" + key + "=" + value));
		args.add("--server.port=0");
		args.addAll(List.of(extra));
		return new SpringApplicationBuilder(SeatkeeperApplication.class).run(args.toArray(String[]::new));
	}

}
