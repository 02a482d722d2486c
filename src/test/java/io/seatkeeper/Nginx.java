package io.seatkeeper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Debian's nginx as a round-robin reverse proxy in front of application nodes on
 * loopback, with the proxy settings of {@code docker/nginx/proxy.conf} (the deployment's
 * own), one worker (so that round robin strictly alternates), and a response header
 * {@value #UPSTREAM_HEADER} that names the node (or nodes, when it passed the request on)
 * that answered. Whether nginx is there is {@link #verdict}: a test that needs it is
 * skipped without it, with the reason and the install line, or fails when
 * {@code SEATKEEPER_NGINX_REQUIRED=true} (set by {@code .ci/run}).
 */
public final class Nginx implements AutoCloseable {

	/** The line that installs nginx on Debian. */
	public static final String INSTALL = "apt-get install -y --no-install-recommends nginx";

	/** The environment variable that makes a missing nginx a failure. */
	public static final String REQUIRED = "SEATKEEPER_NGINX_REQUIRED";

	/** The environment variable (or system property) that names another nginx binary. */
	public static final String BINARY = "SEATKEEPER_NGINX";

	/** The response header that names the node that answered. */
	public static final String UPSTREAM_HEADER = "X-Seatkeeper-Upstream";

	private static final String DEFAULT_BINARY = "/usr/sbin/nginx";

	private final Process process;

	private final Path directory;

	private final int port;

	private Nginx(Process process, Path directory, int port) {
		this.process = process;
		this.directory = directory;
		this.port = port;
	}

	/**
	 * Starts nginx on a free loopback port, passing requests round robin to the nodes on
	 * the given loopback ports.
	 */
	public static Nginx start(List<Integer> upstreamPorts) {
		try {
			Path directory = Files.createTempDirectory(Path.of("target"), "nginx-").toAbsolutePath();
			int port = freePort();
			Path proxySettings = Path.of("docker", "nginx", "proxy.conf").toAbsolutePath();
			String upstreams = upstreamPorts.stream()
				.map((upstream) -> "    server 127.0.0.1:" + upstream + " max_fails=1 fail_timeout=5s;")
				.collect(Collectors.joining("\n"));
			boolean root = "root".equals(System.getProperty("user.name"));
			String config = String.join("\n", (root ? "user root;" : ""), "worker_processes 1;", "daemon off;",
					"pid " + directory.resolve("nginx.pid") + ";", "error_log " + directory.resolve("error.log") + ";",
					"events { worker_connections 1024; }", "http {",
					"  access_log " + directory.resolve("access.log") + ";",
					"  client_body_temp_path " + directory.resolve("client_body") + ";",
					"  proxy_temp_path " + directory.resolve("proxy") + ";",
					"  fastcgi_temp_path " + directory.resolve("fastcgi") + ";",
					"  uwsgi_temp_path " + directory.resolve("uwsgi") + ";",
					"  scgi_temp_path " + directory.resolve("scgi") + ";", "  upstream seatkeeper {", upstreams, "  }",
					"  server {", "    listen 127.0.0.1:" + port + ";", "    location / {",
					"      proxy_pass http://seatkeeper;", "      include " + proxySettings + ";",
					"      add_header " + UPSTREAM_HEADER + " $upstream_addr always;", "    }", "  }", "}", "");
			Path file = directory.resolve("nginx.conf");
			Files.writeString(file, config, StandardCharsets.UTF_8);
			Process process = new ProcessBuilder(binary(System::getProperty, System::getenv), "-p",
					directory.toString(), "-c", file.toString(), "-e", directory.resolve("error.log").toString())
				.redirectErrorStream(true)
				.redirectOutput(directory.resolve("nginx.out").toFile())
				.start();
			Nginx nginx = new Nginx(process, directory, port);
			nginx.awaitListening();
			return nginx;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The proxy's base URL, {@code http://127.0.0.1:port}.
	 */
	public String url() {
		return "http://127.0.0.1:" + this.port;
	}

	/**
	 * The proxy's port.
	 */
	public int port() {
		return this.port;
	}

	/**
	 * What nginx wrote to its error log, for a failure's message.
	 */
	public String errorLog() {
		try {
			Path log = this.directory.resolve("error.log");
			return Files.exists(log) ? Files.readString(log) : "";
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	/**
	 * Stops nginx (SIGTERM, its fast shutdown).
	 */
	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void awaitListening() throws IOException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("nginx stopped at its start: "
						+ Files.readString(this.directory.resolve("nginx.out")) + errorLog());
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
				return;
			}
			catch (IOException notYet) {
				sleep();
			}
		}
		close();
		throw new IllegalStateException("nginx did not listen on " + this.port + " within 20 s: " + errorLog());
	}

	/**
	 * Whether the tests that need nginx run, are skipped or fail, from the system
	 * properties and the environment given.
	 */
	public static Verdict verdict(Function<String, String> properties, Function<String, String> environment) {
		String binary = binary(properties, environment);
		if (Files.isExecutable(Path.of(binary))) {
			return new Verdict(Outcome.RUN, "nginx at " + binary);
		}
		String what = "nginx is not installed (no " + binary + ")";
		if ("true".equalsIgnoreCase(environment.apply(REQUIRED))) {
			return new Verdict(Outcome.FAIL, what + ", and " + REQUIRED
					+ "=true requires the tests behind nginx to run: install it with `" + INSTALL + "`");
		}
		return new Verdict(Outcome.SKIP, "Test behind a reverse proxy skipped: " + what + "; install it with `"
				+ INSTALL + "`, or name another binary with " + BINARY);
	}

	private static String binary(Function<String, String> properties, Function<String, String> environment) {
		String configured = properties.apply(BINARY);
		if (configured == null || configured.isBlank()) {
			configured = environment.apply(BINARY);
		}
		return (configured == null || configured.isBlank()) ? DEFAULT_BINARY : configured;
	}

	/**
	 * A free TCP port on loopback (free when asked; taken by whoever binds it first).
	 */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void sleep() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** What becomes of a test that needs nginx. */
	public enum Outcome {

		/** nginx is there: the test runs. */
		RUN,
		/** nginx is missing: the test is skipped. */
		SKIP,
		/** nginx is missing and required: the test fails. */
		FAIL

	}

	/**
	 * An outcome and why.
	 *
	 * @param outcome what becomes of the test
	 * @param reason why, with the install line when nginx is missing
	 */
	public record Verdict(Outcome outcome, String reason) {

	}

}
