package io.seatkeeper;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Application nodes (whole Spring applications, each with its own connection pool) on one
 * shared, new embedded PostgreSQL database, as a cluster runs them: for the tests that
 * prove a rule holds across nodes.
 */
public final class TwoNodes implements AutoCloseable {

	private final String url;

	private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	private TwoNodes(String url) {
		this.url = url;
	}

	/**
	 * Creates a new database and starts {@code count} nodes on it, named {@code a},
	 * {@code b}, …, each with the given extra properties ({@code name=value}).
	 */
	public static TwoNodes start(int count, String... properties) {
		TwoNodes nodes = new TwoNodes(TestDatabase.newPostgresDatabase());
		try {
			for (int i = 0; i < count; i++) {
				nodes.nodes.add(nodes.startNode(String.valueOf((char) ('a' + i)), properties));
			}
		}
		catch (RuntimeException ex) {
			nodes.close();
			throw ex;
		}
		return nodes;
	}

	/**
	 * The node started {@code index}th (from 0).
	 */
	public ConfigurableApplicationContext node(int index) {
		return this.nodes.get(index);
	}

	/**
	 * Starts one more node on the same database; the caller stops it.
	 */
	public ConfigurableApplicationContext startNode(String name, String... properties) {
		List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + this.url,
				"--spring.datasource.username=postgres", "--spring.datasource.password=postgres", "--server.port=0",
				"--spring.datasource.hikari.maximum-pool-size=8", "--spring.datasource.hikari.pool-name=node-" + name,
				"--seatkeeper.admin.password=two-nodes-secret"));
		for (String property : properties) {
			args.add("--" + property);
		}
		return new SpringApplicationBuilder(SeatkeeperApplication.class).run(args.toArray(String[]::new));
	}

	/**
	 * Stops the nodes that {@link #start} started, the last first.
	 */
	@Override
	public void close() {
		for (int i = this.nodes.size() - 1; i >= 0; i--) {
			this.nodes.get(i).close();
		}
		this.nodes.clear();
	}

}
