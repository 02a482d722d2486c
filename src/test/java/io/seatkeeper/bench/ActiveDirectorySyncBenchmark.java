package io.seatkeeper.bench;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.naming.directory.Attributes;
import javax.naming.directory.SearchControls;

import com.jayway.jsonpath.JsonPath;
import io.seatkeeper.directory.SambaDomain;
import io.seatkeeper.directory.SambaTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.ldap.control.PagedResultsDirContextProcessor;
import org.springframework.ldap.core.support.LdapContextSource;
import org.springframework.ldap.core.support.SingleContextSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The directory sync as a site gets it: a real Active Directory domain controller
 * ({@link SambaDomain}, Samba 4 on loopback) with 20,000 users in one OU (by default,
 * {@code -Dbench.ad.users}), read at the domain root with pages of 1,000 (Active
 * Directory's {@code MaxPageSize}); each run started through the API and timed until it
 * is done. Against the raw baseline (the same paged read plus a JDBC batch insert of the
 * same rows in one transaction): first sync at most 1.5 ×; an unchanged delta at most 2 s
 * or 0.05 × the first sync; a delta after 100 changes at most 0.1 × the first sync; an
 * unchanged full re-sync at most 0.5 × the first sync. Run in the
 * {@code bench-postgresql} execution only:
 * {@code ./mvnw -o -B -Pbench test-compile surefire:test@bench-postgresql
 * -Dtest=ActiveDirectorySyncBenchmark}.
 */
@SpringBootTest(properties = { "seatkeeper.admin.password=" + ActiveDirectorySyncBenchmark.ADMIN_PASSWORD,
		"seatkeeper.directory.page-size=1000", "seatkeeper.directory.full-sync-cron=-" })
@AutoConfigureMockMvc
@SambaTest
class ActiveDirectorySyncBenchmark {

	static final String ADMIN_PASSWORD = "bench-secret-1";

	static final int USERS = Integer.getInteger("bench.ad.users", 20_000);

	static final int PAGE = 1000;

	static SambaDomain dc;

	static String ou;

	@DynamicPropertySource
	static void directory(DynamicPropertyRegistry registry) {
		// Here, not in a static initializer: after @SambaTest's check.
		dc = SambaDomain.shared();
		dc.reset();
		ou = dc.ou("Bench");
		long start = System.nanoTime();
		dc.users(ou, "b", USERS);
		loadMillis = (System.nanoTime() - start) / 1_000_000;
		dc.register(registry, ou + " -> Primary Area");
	}

	static long loadMillis;

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Test
	void firstSyncDeltasAndFullResyncOfTwentyThousandUsersAgainstRawReadAndInsert() throws Exception {
		this.jdbc.update("update license_pool set max_users = 100000000 where pool = 'PRIMARY'");
		this.jdbc.update("update directory_settings set max_block_percent = 100");
		long primary = this.jdbc.queryForObject("select id from area where kind = 'PRIMARY'", Long.class);
		String load = load();
		// Warm-up of both paths.
		raw(primary);
		clean();
		sync(null, "FULL", USERS);
		clean();
		double readOnly = BenchData.timeAndPeakHeap(() -> assertThat(read()).hasSize(USERS))[0];
		double raw = BenchData.timeAndPeakHeap(() -> raw(primary))[0];
		clean();
		double first = BenchData.timeAndPeakHeap(() -> sync(null, "FULL", USERS))[0];
		double unchanged = BenchData.timeAndPeakHeap(() -> sync(null, "DELTA", USERS))[0];
		assertThat(lastRun("entries_read")).isZero();
		List<String> renamed = this.jdbc.queryForList(
				"select directory_dn from profile where source = 'DIRECTORY' order by id fetch first 100 rows only",
				String.class);
		for (int i = 0; i < renamed.size(); i++) {
			dc.rename(renamed.get(i), String.format("renamed%04d", i));
		}
		double changed = BenchData.timeAndPeakHeap(() -> sync(null, "DELTA", USERS))[0];
		assertThat(lastRun("entries_read")).isEqualTo(100);
		assertThat(lastRun("updated")).isEqualTo(100);
		double full = BenchData.timeAndPeakHeap(() -> sync("full", "FULL", USERS))[0];
		assertThat(lastRun("unchanged")).isEqualTo(USERS);
		String after = load();

		List<String> lines = new ArrayList<>();
		lines.add("database: " + BenchData.database(this.jdbc));
		lines.add(String.format("directory: Samba 4 AD DC on loopback, %d users in one OU (loaded in %d ms), "
				+ "base DN the domain root, page size %d, one round", USERS, loadMillis, PAGE));
		lines.add("load average before: " + load + ", after: " + after + " ("
				+ Runtime.getRuntime().availableProcessors() + " CPUs)");
		lines.add(String.format("raw paged read + JDBC batch insert: %.0f ms", raw));
		lines.add(String.format("raw paged read alone (the directory's share of a full run): %.0f ms", readOnly));
		lines.add(String.format("seatkeeper first sync (full): %.0f ms, ratio first / raw %.2f (target <= 1.5)", first,
				first / raw));
		lines.add(String.format("unchanged delta: %.0f ms, ratio / first %.3f (target <= 2 s or <= 0.05)", unchanged,
				unchanged / first));
		lines.add(String.format("delta after 100 changes (renames): %.0f ms, ratio / first %.3f (target <= 0.1)",
				changed, changed / first));
		lines.add(String.format("unchanged full re-sync: %.0f ms, ratio / first %.2f (target <= 0.5)", full,
				full / first));
		BenchData.write("directory-ad", lines);
	}

	private static String load() {
		try {
			return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
		}
		catch (java.io.IOException ex) {
			return "unknown";
		}
	}

	private int lastRun(String column) {
		return this.jdbc.queryForObject(
				"select " + column + " from directory_run order by started_at desc fetch first 1 rows only",
				Integer.class);
	}

	private void sync(String mode, String expectedMode, int active) {
		try {
			var request = post("/api/v1/directory/sync").with(httpBasic("admin", ADMIN_PASSWORD));
			if (mode != null) {
				request.param("mode", mode);
			}
			String body = this.mvc.perform(request).andReturn().getResponse().getContentAsString();
			String id = JsonPath.read(body, "$.id");
			Map<String, Object> run;
			do {
				Thread.sleep(10);
				run = this.jdbc.queryForMap("select state, sync_mode from directory_run where id = ?", id);
			}
			while ("RUNNING".equals(run.get("state")));
			assertThat(run.get("state")).isEqualTo("DONE");
			assertThat(run.get("sync_mode")).isEqualTo(expectedMode);
			assertThat(this.jdbc.queryForObject(
					"select count(*) from profile where source = 'DIRECTORY' and state = 'ACTIVE'", Integer.class))
				.isEqualTo(active);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void raw(long primary) {
		List<Object[]> rows = read();
		Timestamp now = Timestamp.from(Instant.now());
		this.transactions.executeWithoutResult((status) -> {
			List<Object[]> batch = new ArrayList<>(1000);
			for (Object[] row : rows) {
				String username = (String) row[1];
				batch.add(new Object[] { username, username.toLowerCase(Locale.ROOT), row[2],
						((String) row[2]).toLowerCase(Locale.ROOT), row[3], ((String) row[3]).toLowerCase(Locale.ROOT),
						row[4], ((String) row[4]).toLowerCase(Locale.ROOT), primary, now, now, row[0], row[5] });
				if (batch.size() == 1000) {
					insert(batch);
					batch.clear();
				}
			}
			insert(batch);
		});
		assertThat(rows).hasSize(USERS);
	}

	/**
	 * The same paged read as the sync's, of the same attributes, kept for the OU's users.
	 */
	private List<Object[]> read() {
		LdapContextSource source = new LdapContextSource();
		source.setUrl("ldap://127.0.0.1:389");
		source.setUserDn(SambaDomain.BIND_DN);
		source.setPassword(SambaDomain.BIND_PASSWORD);
		source.setBaseEnvironmentProperties(
				Map.of("java.naming.ldap.attributes.binary", "objectGUID", "java.naming.referral", "ignore"));
		source.setPooled(false);
		source.afterPropertiesSet();
		SearchControls controls = new SearchControls();
		controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
		controls.setReturningAttributes(new String[] { "objectGUID", "sAMAccountName", "mail", "givenName", "sn",
				"userAccountControl", "memberOf" });
		String suffix = ("," + ou).toLowerCase(Locale.ROOT);
		return SingleContextSource.doWithSingleContext(source, (operations) -> {
			List<Object[]> read = new ArrayList<>();
			PagedResultsDirContextProcessor pages = new PagedResultsDirContextProcessor(PAGE);
			do {
				read.addAll(operations.search(SambaDomain.BASE, "(&(objectCategory=person)(objectClass=user))",
						controls, (org.springframework.ldap.core.ContextMapper<Object[]>) (context) -> {
							var entry = (org.springframework.ldap.core.DirContextAdapter) context;
							Attributes attributes = entry.getAttributes();
							String dn = entry.getNameInNamespace();
							if (!dn.toLowerCase(Locale.ROOT).endsWith(suffix) || attributes.get("mail") == null) {
								return null;
							}
							return new Object[] { HexFormat.of().formatHex((byte[]) attributes.get("objectGUID").get()),
									attributes.get("sAMAccountName").get().toString(),
									attributes.get("mail").get().toString(),
									attributes.get("givenName").get().toString(), attributes.get("sn").get().toString(),
									dn };
						}, pages));
			}
			while (pages.hasMore());
			read.removeIf(java.util.Objects::isNull);
			return read;
		}, false, true, false);
	}

	private void insert(List<Object[]> batch) {
		this.jdbc.batchUpdate("insert into profile (username, username_key, email, email_key, first_name,"
				+ " first_name_key, last_name, last_name_key, area_id, pool, state, source, created_at, updated_at,"
				+ " directory_id, directory_dn) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'PRIMARY', 'ACTIVE', 'DIRECTORY', ?,"
				+ " ?, ?, ?)", batch);
	}

	private void clean() {
		this.jdbc.update("delete from profile where built_in = false");
		this.jdbc.update("update license_pool set active_count = 0 where pool = 'PRIMARY'");
		this.jdbc.update("delete from directory_run");
	}

}
