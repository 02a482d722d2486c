package io.seatkeeper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Application nodes (whole Spring applications, each with its own connection pool) on one
 * shared, new embedded PostgreSQL database, as a cluster runs them (each started by
 * {@link Nodes}): for the tests that prove a rule holds across nodes. Registered on a
 * test class ({@code @RegisterExtension static final TwoNodes nodes = TwoNodes.of(2);}),
 * it starts the nodes before the class's tests and stops them after.
 */
public final class TwoNodes implements BeforeAllCallback, AfterAllCallback {

	private final int count;

	private final String[] properties;

	private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	private String url;

	private TwoNodes(int count, String[] properties) {
		this.count = count;
		this.properties = properties;
	}

	/**
	 * {@code count} nodes on one new database, named {@code a}, {@code b}, …, each with
	 * the given extra properties ({@code name=value}).
	 */
	public static TwoNodes of(int count, String... properties) {
		return new TwoNodes(count, properties);
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.url = TestDatabase.newPostgresDatabase();
		for (int i = 0; i < this.count; i++) {
			this.nodes.add(startNode(String.valueOf((char) ('a' + i)), this.properties));
		}
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
		return Nodes.start(this.url, name,
				Arrays.stream(properties).map((property) -> "--" + property).toArray(String[]::new));
	}

	/**
	 * Stops the nodes started before the tests, the last first.
	 */
	@Override
	public void afterAll(ExtensionContext context) {
		for (int i = this.nodes.size() - 1; i >= 0; i--) {
			this.nodes.get(i).close();
		}
		this.nodes.clear();
	}

}
