package io.seatkeeper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;

/**
 * Application nodes for tests of several nodes on one database: each a Spring application
 * of its own, with its own connection pool, on a random port.
 */
public final class Nodes {

	/** The built-in administrator's password on every node. */
	public static final String ADMIN_PASSWORD = "several-nodes-secret";

	private Nodes() {
	}

	/**
	 * Starts a node on the PostgreSQL database at the URL (one of
	 * {@link TestDatabase#newPostgresDatabase()}), with more settings as
	 * {@code --key=value}.
	 */
	public static ConfigurableApplicationContext start(String url, String name, String... settings) {
		return start(Map.of("spring.datasource.url", url, "spring.datasource.username", "postgres",
				"spring.datasource.password", "postgres"), name, settings);
	}

	/**
	 * Starts a node on the database that the {@code spring.datasource.*} properties name,
	 * with more settings as {@code --key=value}.
	 */
	public static ConfigurableApplicationContext start(Map<String, ?> database, String name, String... settings) {
		List<String> args = new ArrayList<>();
		database.forEach((key, value) -> args.add("--" + key + "=" + value));
		// Each default unless the settings name the key.
		Map<String, String> defaults = new LinkedHashMap<>();
		defaults.put("server.port", "0");
		defaults.put("spring.datasource.hikari.maximum-pool-size", "8");
		defaults.put("spring.datasource.hikari.pool-name", "node-" + name);
		defaults.put("seatkeeper.node.name", "node-" + name);
		defaults.put("seatkeeper.admin.password", ADMIN_PASSWORD);
		defaults.forEach((key, value) -> {
			if (Arrays.stream(settings).noneMatch((setting) -> setting.startsWith("--" + key + "="))) {
				args.add("--" + key + "=" + value);
			}
		});
		args.addAll(List.of(settings));
		return new SpringApplicationBuilder(SeatkeeperApplication.class).run(args.toArray(String[]::new));
	}

	/**
	 * The node's console and API, with Spring Security, without HTTP.
	 */
	public static MockMvc mvc(ConfigurableApplicationContext node) {
		return MockMvcBuilders.webAppContextSetup((WebApplicationContext) node).apply(springSecurity()).build();
	}

}
