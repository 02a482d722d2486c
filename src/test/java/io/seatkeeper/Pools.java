package io.seatkeeper;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Puts a test's database in a known state: no profile but the built-in administrator, and
 * pools of the given sizes with nothing active.
 */
public final class Pools {

	private Pools() {
	}

	/**
	 * Removes every profile but the built-in administrator, every Extranet area, and sets
	 * the pools' maxima.
	 */
	public static void reset(JdbcTemplate jdbc, int maxUsers, int maxExtranetUsers) {
		jdbc.update("delete from profile where built_in = false");
		jdbc.update("delete from area where kind = 'EXTRANET'");
		jdbc.update("update license_pool set active_count = 0, max_users = ? where pool = 'PRIMARY'", maxUsers);
		jdbc.update("update license_pool set active_count = 0, max_users = ? where pool = 'EXTRANET'",
				maxExtranetUsers);
	}

	/**
	 * A pool's counter, as the gate keeps it.
	 */
	public static int counter(JdbcTemplate jdbc, String pool) {
		return jdbc.queryForObject("select active_count from license_pool where pool = ?", Integer.class, pool);
	}

	/**
	 * A pool's active profiles, counted row by row.
	 */
	public static int activeRows(JdbcTemplate jdbc, String pool) {
		return jdbc.queryForObject(
				"select count(*) from profile where pool = ? and state = 'ACTIVE' and built_in = false", Integer.class,
				pool);
	}

}
