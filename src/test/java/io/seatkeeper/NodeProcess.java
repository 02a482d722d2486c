package io.seatkeeper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An application node in a JVM of its own, started from the tests' classpath on a
 * PostgreSQL database: for what a node in the test's own JVM cannot show, such as a node
 * killed with {@code kill -9}. Its output goes to {@code target/node-<name>-*.log}.
 */
public final class NodeProcess implements AutoCloseable {

	private final String name;

	private final int port;

	private final Process process;

	private final Path log;

	private NodeProcess(String name, int port, Process process, Path log) {
		this.name = name;
		this.port = port;
		this.process = process;
		this.log = log;
	}

	/**
	 * Starts a node named {@code node-<name>} on the database at the URL (one of
	 * {@link TestDatabase#newPostgresDatabase()}) and the port, with more settings as
	 * {@code key=value}; returns once its readiness says {@code UP}.
	 */
	public static NodeProcess start(String url, String name, int port, String... settings) {
		try {
			Path log = Files.createTempFile(Path.of("target"), "node-" + name + "-", ".log");
			// The classpath in an argument file: it is longer than some systems take on a
			// command line.
			Path arguments = Files.createTempFile(Path.of("target"), "node-" + name + "-", ".args");
			Files.writeString(arguments, "-cp \"" + System.getProperty("java.class.path") + "\"\n",
					StandardCharsets.UTF_8);
			List<String> command = new ArrayList<>(
					List.of(java(), "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "@" + arguments,
							SeatkeeperApplication.class.getName(), "--spring.datasource.url=" + url,
							"--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
							"--server.port=" + port, "--spring.datasource.hikari.maximum-pool-size=8",
							"--spring.datasource.hikari.pool-name=node-" + name, "--seatkeeper.node.name=node-" + name,
							"--seatkeeper.admin.password=" + Nodes.ADMIN_PASSWORD));
			for (String setting : settings) {
				command.add("--" + setting);
			}
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			NodeProcess node = new NodeProcess(name, port, process, log);
			node.awaitReady();
			return node;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The node's port.
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Kills the node at once ({@code kill -9}): nothing of its shutdown runs.
	 */
	public void kill() {
		this.process.destroyForcibly();
		await(30);
	}

	/**
	 * Tells the node to stop (SIGTERM), as a supervisor does, and waits for it.
	 */
	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroy();
			if (!await(90)) {
				this.process.destroyForcibly();
				await(30);
			}
		}
	}

	private boolean await(int seconds) {
		try {
			return this.process.waitFor(seconds, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private void awaitReady() {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		HttpRequest readiness = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(2))
			.build();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("Node " + this.name + " stopped at its start (exit "
						+ this.process.exitValue() + "): " + tail());
			}
			try {
				if (http.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException notYet) {
				// Not listening yet.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			try {
				Thread.sleep(250);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		close();
		throw new IllegalStateException("Node " + this.name + " was not ready within 180 s: " + tail());
	}

	/**
	 * The end of the node's output, for a failure's message.
	 */
	public String tail() {
		try {
			List<String> lines = Files.readAllLines(this.log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	private static String java() {
		return ProcessHandle.current()
			.info()
			.command()
			.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

}
