package db.migration.h2;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * H2 only (found through {@code classpath:db/migration/h2}; PostgreSQL never sees it):
 * writes V1's column checks {@code area.kind}, {@code profile.pool},
 * {@code profile.state} and {@code profile.block_reason} again without {@code in} lists.
 * H2 2.4.240 keeps the session that created a {@code col in (…)} check inside the check
 * (h2database#4302, #4308, #4291, fixed after 2.4.240 by #4311), so once Flyway's
 * connection is retired by the pool, every other session's insert or change fails with
 * "Check constraint invalid … The database has been closed" until H2 reloads the schema.
 * <p>
 * The same rules are written as {@code col = any (array[…])}, which H2 evaluates with the
 * session that checks the row and which, like {@code in}, lets a null through (the
 * not-null columns refuse it themselves). Not as {@code col = 'A' or col = 'B'}: H2
 * rewrites that into the very {@code in} list it stands for.
 * <p>
 * H2 named the column checks itself ({@code CONSTRAINT_…}); they are found by their
 * clause in {@code INFORMATION_SCHEMA}, dropped, and added again under a name of their
 * own.
 */
public class V11__check_constraints_without_in_lists extends BaseJavaMigration {

	private static final List<Check> CHECKS = List.of(
			new Check("AREA", "KIND", "ck_area_kind", "kind = any (array['PRIMARY', 'EXTRANET'])"),
			new Check("PROFILE", "POOL", "ck_profile_pool", "pool = any (array['PRIMARY', 'EXTRANET'])"),
			new Check("PROFILE", "STATE", "ck_profile_state", "state = any (array['ACTIVE', 'BLOCKED'])"),
			new Check("PROFILE", "BLOCK_REASON", "ck_profile_block_reason_value",
					"block_reason = any (array['ADMINISTRATOR', 'AWAITING_LICENSE', 'DIRECTORY'])"));

	@Override
	public void migrate(Context context) throws SQLException {
		Connection connection = context.getConnection();
		for (Check check : CHECKS) {
			List<String> inLists = inListChecks(connection, check);
			try (Statement statement = connection.createStatement()) {
				for (String name : inLists) {
					statement.execute("alter table " + check.table() + " drop constraint \"" + name + "\"");
				}
				statement.execute("alter table " + check.table() + " add constraint " + check.name() + " check ("
						+ check.condition() + ")");
			}
		}
	}

	/**
	 * The names of the table's checks that are an {@code in} list on the column: H2 keeps
	 * a column check as a table check whose clause reads {@code "COLUMN" IN('A', 'B')}.
	 */
	private static List<String> inListChecks(Connection connection, Check check) throws SQLException {
		List<String> names = new ArrayList<>();
		String prefix = "\"" + check.column() + "\"IN(";
		try (PreparedStatement statement = connection.prepareStatement("select t.constraint_name, c.check_clause"
				+ " from information_schema.table_constraints t" + " join information_schema.check_constraints c"
				+ " on c.constraint_schema = t.constraint_schema and c.constraint_name = t.constraint_name"
				+ " where t.table_schema = current_schema and t.table_name = ? and t.constraint_type = 'CHECK'")) {
			statement.setString(1, check.table());
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					String clause = rows.getString(2).replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
					if (clause.startsWith(prefix)) {
						names.add(rows.getString(1));
					}
				}
			}
		}
		return names;
	}

	private record Check(String table, String column, String name, String condition) {
	}

}
