package io.seatkeeper;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Gives every test application context a database of its own: an in-memory H2 database by
 * default, or a fresh database in one embedded PostgreSQL server (real PostgreSQL,
 * in-process) when the system property {@code seatkeeper.test.database} is
 * {@code postgresql}. The build runs the database tests once on each. A test class
 * annotated with {@link OnPostgreSql} always gets a PostgreSQL database, whatever the
 * property says.
 */
public final class TestDatabase implements ContextCustomizerFactory {

	/** The system property that selects the database. */
	public static final String PROPERTY = "seatkeeper.test.database";

	private static final AtomicInteger counter = new AtomicInteger();

	private static EmbeddedPostgres postgres;

	/**
	 * Whether this run uses H2 in a file (as the application does by default), for the
	 * benchmarks: an in-memory database would share the heap they measure.
	 */
	public static boolean h2File() {
		return "h2file".equals(System.getProperty(PROPERTY));
	}

	/**
	 * Whether this run's tests use PostgreSQL.
	 */
	public static boolean postgresql() {
		return "postgresql".equals(System.getProperty(PROPERTY));
	}

	/**
	 * The embedded PostgreSQL server, started on first use and kept for the whole run.
	 */
	public static synchronized EmbeddedPostgres postgres() {
		if (postgres == null) {
			try {
				// Every cached test context keeps its own connection pool open, and the
				// concurrency tests' pools are larger: the default 300 connections run
				// out.
				postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "1000").start();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Could not start the embedded PostgreSQL server", ex);
			}
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					postgres.close();
				}
				catch (Exception ex) {
					// The JVM is going away anyway.
				}
			}));
		}
		return postgres;
	}

	/**
	 * Creates a new, empty PostgreSQL database and returns its JDBC URL.
	 */
	public static String newPostgresDatabase() {
		String name = "seatkeeper_" + counter.incrementAndGet() + "_" + ProcessHandle.current().pid();
		DataSource admin = postgres().getPostgresDatabase();
		try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("create database " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database " + name, ex);
		}
		return postgres().getJdbcUrl("postgres", name);
	}

	/**
	 * The datasource properties of a new, empty database of this run's kind.
	 */
	public static Map<String, Object> newDatabaseProperties() {
		return newDatabaseProperties(postgresql());
	}

	private static Map<String, Object> newDatabaseProperties(boolean postgresql) {
		if (postgresql) {
			return Map.of("spring.datasource.url", newPostgresDatabase(), "spring.datasource.username", "postgres",
					"spring.datasource.password", "postgres");
		}
		if (h2File()) {
			return Map.of("spring.datasource.url",
					"jdbc:h2:file:./target/bench/h2/seatkeeper-" + counter.incrementAndGet() + "-"
							+ ProcessHandle.current().pid() + ";LOCK_TIMEOUT=10000",
					"spring.datasource.username", "sa", "spring.datasource.password", "");
		}
		return Map.of("spring.datasource.url",
				"jdbc:h2:mem:seatkeeper-" + counter.incrementAndGet() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
				"spring.datasource.username", "sa", "spring.datasource.password", "");
	}

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return new NewDatabase(TestContextAnnotationUtils.hasAnnotation(testClass, OnPostgreSql.class));
	}

	/**
	 * Gives the annotated test class's application context a fresh PostgreSQL database on
	 * the embedded server, in every run (the browser journeys run against PostgreSQL, as
	 * production does).
	 */
	@Target(ElementType.TYPE)
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	@Inherited
	public @interface OnPostgreSql {

	}

	private record NewDatabase(boolean alwaysPostgresql) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("testDatabase",
						newDatabaseProperties(this.alwaysPostgresql || postgresql())));
		}

	}

}
