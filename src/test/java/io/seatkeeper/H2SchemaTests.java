package io.seatkeeper;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The schema on H2 as the application meets it: Flyway migrates through one pooled
 * connection, which the pool later retires, and every other connection then writes areas
 * and profiles. H2 2.4.240 keeps the creating session inside a check written as
 * {@code col in (…)} (h2database#4302, #4308, #4291), so such a check fails with "Check
 * constraint invalid … The database has been closed" once that session is closed; the H2
 * migration V11 writes those checks without {@code in} lists. The rules themselves must
 * stay.
 */
class H2SchemaTests {

	/** H2's "Check constraint violation": a rule refused the row. */
	private static final String VIOLATION = "23513";

	private final String url = "jdbc:h2:mem:h2schema-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	private Connection connection;

	@BeforeEach
	void migrateThroughOneConnectionThenCloseIt() throws SQLException {
		SingleConnectionDataSource migrator = new SingleConnectionDataSource(this.url, "sa", "", true);
		try {
			Flyway.configure()
				.dataSource(migrator)
				.locations("classpath:db/migration/common", "classpath:db/migration/h2")
				.load()
				.migrate();
		}
		finally {
			migrator.destroy();
		}
		this.connection = DriverManager.getConnection(this.url, "sa", "");
	}

	@AfterEach
	void dropTheDatabase() throws SQLException {
		try (Statement statement = this.connection.createStatement()) {
			statement.execute("shutdown");
		}
		finally {
			this.connection.close();
		}
	}

	@Test
	void anotherConnectionWritesAreasAndProfilesAfterTheMigratingOneIsClosed() throws SQLException {
		long area = insertArea("Partners", "EXTRANET");
		long profile = insertProfile("alice", area, "EXTRANET", "ACTIVE", null);

		execute("update profile set state = 'BLOCKED', block_reason = 'ADMINISTRATOR' where id = " + profile);
		execute("update profile set block_reason = 'AWAITING_LICENSE' where id = " + profile);
		execute("update profile set block_reason = 'DIRECTORY' where id = " + profile);
		execute("update profile set state = 'ACTIVE', block_reason = null, pool = 'PRIMARY' where id = " + profile);
		execute("update area set kind = 'PRIMARY' where id = " + area);

		assertThat(queryForString("select state from profile where id = " + profile)).isEqualTo("ACTIVE");
	}

	@Test
	void theChecksStillRefuseWhatTheyRefused() throws SQLException {
		long area = insertArea("Partners", "EXTRANET");
		long profile = insertProfile("bob", area, "EXTRANET", "ACTIVE", null);

		assertRefused(() -> insertArea("Elsewhere", "OTHER"));
		assertRefused(() -> insertProfile("carol", area, "NOPE", "ACTIVE", null));
		assertRefused(() -> insertProfile("dave", area, "EXTRANET", "WRONG", null));
		assertRefused(() -> insertProfile("erin", area, "EXTRANET", "BLOCKED", "WHATEVER"));
		assertRefused(() -> insertProfile("frank", area, "EXTRANET", "ACTIVE", "ADMINISTRATOR"));
		assertRefused(() -> insertProfile("grace", area, "EXTRANET", "BLOCKED", null));
		assertRefused(() -> execute("update area set kind = 'OTHER' where id = " + area));
		assertRefused(() -> execute("update profile set state = 'WRONG' where id = " + profile));
		assertRefused(() -> execute("update profile set pool = 'NOPE' where id = " + profile));
		assertRefused(() -> execute("update profile set block_reason = 'ADMINISTRATOR' where id = " + profile));
		assertRefused(() -> execute("update profile set state = 'BLOCKED' where id = " + profile));
		assertRefused(
				() -> execute("update profile set state = 'BLOCKED', block_reason = 'WHATEVER' where id = " + profile));

		assertThat(queryForString("select state || '/' || pool from profile where id = " + profile))
			.isEqualTo("ACTIVE/EXTRANET");
	}

	@Test
	void noCheckConstraintUsesAnInList() throws SQLException {
		List<String> inLists = new ArrayList<>();
		try (Statement statement = this.connection.createStatement();
				ResultSet rows = statement.executeQuery(
						"select c.constraint_name, c.check_clause" + " from information_schema.check_constraints c"
								+ " where c.constraint_schema = current_schema")) {
			while (rows.next()) {
				String clause = rows.getString(2);
				if (clause.toUpperCase().replaceAll("\\s+", "").contains("IN(")) {
					inLists.add(rows.getString(1) + ": " + clause);
				}
			}
		}
		assertThat(inLists).isEmpty();
	}

	@Test
	void postgresqlKeepsItsChecksAndNeverRunsTheH2Migration() throws SQLException {
		String postgres = TestDatabase.newPostgresDatabase();
		Flyway flyway = Flyway.configure()
			.dataSource(postgres, "postgres", "postgres")
			.locations("classpath:db/migration/common", "classpath:db/migration/postgresql")
			.load();
		flyway.migrate();
		assertThat(flyway.info().applied()).extracting((migration) -> migration.getVersion().getVersion())
			.contains("10")
			.doesNotContain("11");
		List<String> checks = new ArrayList<>();
		try (Connection pg = DriverManager.getConnection(postgres, "postgres", "postgres");
				Statement statement = pg.createStatement();
				ResultSet rows = statement.executeQuery("select conrelid::regclass || ': ' || pg_get_constraintdef(oid)"
						+ " from pg_constraint where contype = 'c' and conrelid::regclass::text in ('area', 'profile')")) {
			while (rows.next()) {
				checks.add(rows.getString(1));
			}
		}
		assertThat(checks).hasSize(5)
			.anyMatch((check) -> check.startsWith("area: ") && check.contains("kind"))
			.anyMatch((check) -> check.startsWith("profile: ") && check.contains("(pool)"))
			.anyMatch((check) -> check.startsWith("profile: ") && check.contains("(state)::text = ANY"));
	}

	private long insertArea(String name, String kind) throws SQLException {
		execute("insert into area (name, name_key, kind, created_at) values ('" + name + "', '" + name.toLowerCase()
				+ "', '" + kind + "', current_timestamp)");
		return Long.parseLong(queryForString("select id from area where name_key = '" + name.toLowerCase() + "'"));
	}

	private long insertProfile(String username, long area, String pool, String state, String blockReason)
			throws SQLException {
		execute("insert into profile (username, username_key, email, email_key, first_name, first_name_key,"
				+ " last_name, last_name_key, area_id, pool, state, block_reason, source, created_at, updated_at)"
				+ " values ('" + username + "', '" + username + "', '" + username + "@example.com', '" + username
				+ "@example.com', 'First', 'first', 'Last', 'last', " + area + ", '" + pool + "', '" + state + "', "
				+ ((blockReason != null) ? "'" + blockReason + "'" : "null")
				+ ", 'LOCAL', current_timestamp, current_timestamp)");
		return Long.parseLong(queryForString("select id from profile where username_key = '" + username + "'"));
	}

	private void execute(String sql) throws SQLException {
		try (Statement statement = this.connection.createStatement()) {
			statement.executeUpdate(sql);
		}
	}

	private String queryForString(String sql) throws SQLException {
		try (Statement statement = this.connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
			assertThat(rows.next()).as(sql).isTrue();
			return rows.getString(1);
		}
	}

	private void assertRefused(Write write) {
		assertThatExceptionOfType(SQLException.class).isThrownBy(write::run)
			.satisfies((ex) -> assertThat(ex.getSQLState()).as(ex.getMessage()).isEqualTo(VIOLATION));
	}

	@FunctionalInterface
	private interface Write {

		void run() throws SQLException;

	}

}
