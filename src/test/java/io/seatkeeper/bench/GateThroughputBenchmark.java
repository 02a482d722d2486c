package io.seatkeeper.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.seatkeeper.Nginx;
import io.seatkeeper.Nodes;
import io.seatkeeper.Pools;
import io.seatkeeper.TestDatabase;
import io.seatkeeper.tokens.ApiTokens;
import io.seatkeeper.tokens.TokenScope;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate path over HTTP, as API clients drive it: each client adds a profile
 * ({@code POST /api/v1/profiles}) and blocks it ({@code POST
 * /api/v1/profiles/{id}/block}), again and again, for a fixed time; both lock the Primary
 * pool's row. Measured with one node (straight and behind nginx) and with two nodes
 * behind nginx (round robin, the deployment's proxy settings), on one PostgreSQL
 * database, against the raw ceiling of the same database: JDBC transactions from as many
 * threads that do nothing but lock the pool's row, change its counter and commit. Prints
 * the throughput (operations per second), the p50 and p99 latency of each operation, and
 * how much of the run the pool's row was held ({@code seatkeeper.license.lock.held},
 * summed over the nodes): a share near 1 means the lock is the ceiling, a lower one that
 * the CPU is. Every request must succeed, and the counters equal the rows after each run.
 * PostgreSQL only (the bench profile's PostgreSQL execution); it needs Debian's nginx.
 */
class GateThroughputBenchmark {

	static final int CLIENTS = Integer.getInteger("bench.gate.clients", 16);

	static final long SECONDS = Long.getLong("bench.gate.seconds", 20);

	static final long WARM_SECONDS = Long.getLong("bench.gate.warm", 8);

	private static final AtomicInteger names = new AtomicInteger();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private String token;

	@Test
	void addsAndBlocksThroughOneNodeAndTwoNodesBehindNginx() throws Exception {
		Nginx.Verdict nginxHere = Nginx.verdict(System::getProperty, System::getenv);
		assertThat(nginxHere.outcome()).as(nginxHere.reason()).isEqualTo(Nginx.Outcome.RUN);
		String url = TestDatabase.newPostgresDatabase();
		int portA = Nginx.freePort();
		int portB = Nginx.freePort();
		List<String> lines = new ArrayList<>();
		try (HikariDataSource database = dataSource(url)) {
			JdbcTemplate jdbc = new JdbcTemplate(database);
			ConfigurableApplicationContext nodeA = Nodes.start(url, "a", "--server.port=" + portA,
					"--spring.datasource.hikari.maximum-pool-size=" + (CLIENTS + 4));
			ConfigurableApplicationContext nodeB = Nodes.start(url, "b", "--server.port=" + portB,
					"--spring.datasource.hikari.maximum-pool-size=" + (CLIENTS + 4));
			try (Nginx toA = Nginx.start(List.of(portA)); Nginx toBoth = Nginx.start(List.of(portA, portB))) {
				this.token = nodeA.getBean(ApiTokens.class)
					.create("gate benchmark", Set.of(TokenScope.API_READ, TokenScope.API_WRITE), null, "admin")
					.token();
				Pools.reset(jdbc, 10_000_000, 1000);
				lines.add("database: " + jdbc.queryForObject("select version()", String.class));
				lines.add("load average before: " + loadAverage());
				lines.add(String.format(
						"%d clients, each adding a profile then blocking it, for %d s per run (after %d s of warm-up);"
								+ " Hikari pool of %d per node",
						CLIENTS, SECONDS, WARM_SECONDS, CLIENTS + 4));

				run(jdbc, "http://127.0.0.1:" + portA, List.of(nodeA), WARM_SECONDS);
				Result raw = rawCeiling(url);
				Result direct = run(jdbc, "http://127.0.0.1:" + portA, List.of(nodeA), SECONDS);
				Result oneBehind = run(jdbc, toA.url(), List.of(nodeA), SECONDS);
				Result twoBehind = run(jdbc, toBoth.url(), List.of(nodeA, nodeB), SECONDS);

				lines.add("");
				lines.add(String.format("%-44s %10s %9s %9s %9s %9s %11s", "run", "ops/s", "add p50", "add p99",
						"block p50", "block p99", "lock held"));
				lines.add(raw.row("raw: lock, update, commit (JDBC)"));
				lines.add(direct.row("one node, straight"));
				lines.add(oneBehind.row("one node behind nginx"));
				lines.add(twoBehind.row("two nodes behind nginx (round robin)"));
				lines.add("");
				lines.add(String.format("ratio two nodes / one node behind nginx: %.2f",
						twoBehind.perSecond() / oneBehind.perSecond()));
				lines.add(String.format("ratio one node behind nginx / straight: %.2f",
						oneBehind.perSecond() / direct.perSecond()));
				lines
					.add(String.format("ratio two nodes / raw ceiling: %.3f", twoBehind.perSecond() / raw.perSecond()));
				lines.add("load average after: " + loadAverage());
			}
			finally {
				nodeB.close();
				nodeA.close();
			}
		}
		BenchData.write("gate-throughput", lines);
	}

	/**
	 * The clients for the given time against the base URL; the nodes' lock timers say how
	 * long the pool's row was held.
	 */
	private Result run(JdbcTemplate jdbc, String base, List<ConfigurableApplicationContext> nodes, long seconds)
			throws Exception {
		double heldBefore = held(nodes);
		List<long[]> latencies = new ArrayList<>();
		AtomicInteger failures = new AtomicInteger();
		List<String> failed = new ArrayList<>();
		ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
		long start = System.nanoTime();
		long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
		try {
			List<Future<long[][]>> clients = new ArrayList<>();
			for (int c = 0; c < CLIENTS; c++) {
				clients.add(threads.submit(() -> {
					List<Long> adds = new ArrayList<>();
					List<Long> blocks = new ArrayList<>();
					while (System.nanoTime() < deadline) {
						String name = "g" + names.incrementAndGet();
						long t0 = System.nanoTime();
						HttpResponse<String> added = send(base + "/api/v1/profiles",
								"{\"username\":\"" + name + "\",\"email\":\"" + name
										+ "@example.org\",\"firstName\":\"Gate\",\"lastName\":\"Bench\"}");
						long t1 = System.nanoTime();
						if (added.statusCode() != 201) {
							failures.incrementAndGet();
							synchronized (failed) {
								failed.add(added.statusCode() + " " + added.body());
							}
							continue;
						}
						adds.add(t1 - t0);
						long id = ((Number) JsonPath.read(added.body(), "$.id")).longValue();
						HttpResponse<String> blocked = send(base + "/api/v1/profiles/" + id + "/block", null);
						long t2 = System.nanoTime();
						if (blocked.statusCode() != 200) {
							failures.incrementAndGet();
							synchronized (failed) {
								failed.add(blocked.statusCode() + " " + blocked.body());
							}
							continue;
						}
						blocks.add(t2 - t1);
					}
					return new long[][] { toArray(adds), toArray(blocks) };
				}));
			}
			long[] adds = new long[0];
			long[] blocks = new long[0];
			for (Future<long[][]> client : clients) {
				long[][] measured = client.get(seconds + 120, TimeUnit.SECONDS);
				adds = concat(adds, measured[0]);
				blocks = concat(blocks, measured[1]);
			}
			latencies.add(adds);
			latencies.add(blocks);
		}
		finally {
			threads.shutdownNow();
		}
		double elapsed = (System.nanoTime() - start) / 1e9;
		assertThat(failed).as("requests that failed").isEmpty();
		assertThat(failures).hasValue(0);
		assertThat(Pools.counter(jdbc, "PRIMARY")).isEqualTo(Pools.activeRows(jdbc, "PRIMARY"));
		double lockShare = (held(nodes) - heldBefore) / elapsed;
		return new Result((latencies.get(0).length + latencies.get(1).length) / elapsed, latencies.get(0),
				latencies.get(1), lockShare);
	}

	/**
	 * The raw ceiling: as many threads, each on its own connection, locking the Primary
	 * pool's row, changing its counter and committing, with nothing else in the
	 * transaction.
	 */
	private Result rawCeiling(String url) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
		long start = System.nanoTime();
		long deadline = start + TimeUnit.SECONDS.toNanos(SECONDS);
		try {
			List<Future<long[]>> clients = new ArrayList<>();
			for (int c = 0; c < CLIENTS; c++) {
				clients.add(threads.submit(() -> {
					List<Long> times = new ArrayList<>();
					try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
							PreparedStatement lock = connection.prepareStatement(
									"select active_count, max_users from license_pool where pool = 'PRIMARY' for update");
							PreparedStatement update = connection.prepareStatement(
									"update license_pool set active_count = active_count + ? where pool = 'PRIMARY'")) {
						connection.setAutoCommit(false);
						for (int i = 0; System.nanoTime() < deadline; i++) {
							long t0 = System.nanoTime();
							try (ResultSet row = lock.executeQuery()) {
								row.next();
							}
							// +1 then -1: the counter ends where it started.
							update.setInt(1, (i % 2 == 0) ? 1 : -1);
							update.executeUpdate();
							connection.commit();
							times.add(System.nanoTime() - t0);
						}
						if (times.size() % 2 == 1) {
							update.setInt(1, -1);
							update.executeUpdate();
							connection.commit();
						}
					}
					return toArray(times);
				}));
			}
			long[] all = new long[0];
			for (Future<long[]> client : clients) {
				all = concat(all, client.get(SECONDS + 60, TimeUnit.SECONDS));
			}
			double elapsed = (System.nanoTime() - start) / 1e9;
			return new Result(all.length / elapsed, all, all, Double.NaN);
		}
		finally {
			threads.shutdownNow();
		}
	}

	private HttpResponse<String> send(String uri, String json) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri))
			.timeout(Duration.ofSeconds(60))
			.header("Authorization", "Bearer " + this.token);
		if (json != null) {
			request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
		}
		else {
			request.POST(HttpRequest.BodyPublishers.noBody());
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Seconds the nodes' transactions have held a pool's row lock since they started.
	 */
	private static double held(List<ConfigurableApplicationContext> nodes) {
		double seconds = 0;
		for (ConfigurableApplicationContext node : nodes) {
			MeterRegistry meters = node.getBean(MeterRegistry.class);
			for (Timer timer : meters.find("seatkeeper.license.lock.held").tag("pool", "PRIMARY").timers()) {
				seconds += timer.totalTime(TimeUnit.SECONDS);
			}
		}
		return seconds;
	}

	private static HikariDataSource dataSource(String url) {
		HikariDataSource database = new HikariDataSource();
		database.setJdbcUrl(url);
		database.setUsername("postgres");
		database.setPassword("postgres");
		database.setMaximumPoolSize(2);
		return database;
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (Exception ex) {
			return "unknown";
		}
	}

	private static long[] toArray(List<Long> values) {
		return values.stream().mapToLong(Long::longValue).toArray();
	}

	private static long[] concat(long[] a, long[] b) {
		long[] all = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		return all;
	}

	/**
	 * One run's throughput, latencies (ns) and share of the time the pool's row was held.
	 */
	record Result(double perSecond, long[] adds, long[] blocks, double lockShare) {

		String row(String title) {
			return String.format("%-44s %10.0f %9.1f %9.1f %9.1f %9.1f %11s", title, this.perSecond,
					percentile(this.adds, 50), percentile(this.adds, 99), percentile(this.blocks, 50),
					percentile(this.blocks, 99),
					Double.isNaN(this.lockShare) ? "-" : String.format("%.0f %%", this.lockShare * 100));
		}

		private static double percentile(long[] nanos, int percentile) {
			if (nanos.length == 0) {
				return Double.NaN;
			}
			long[] sorted = nanos.clone();
			Arrays.sort(sorted);
			int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
			return sorted[Math.max(0, index)] / 1e6;
		}

	}

}
