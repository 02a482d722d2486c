package io.seatkeeper.bench;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import javax.naming.directory.Attributes;
import javax.naming.directory.SearchControls;

import com.jayway.jsonpath.JsonPath;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import org.junit.jupiter.api.AfterAll;
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
 * A first directory sync of 100,000 entries from an in-process UnboundID directory
 * (started through the API, timed until its run is done) against the raw baseline of the
 * same run: the same paged LDAP read plus a JDBC batch insert of the same rows in one
 * transaction; and an unchanged re-sync against the first sync. Targets: first sync at
 * most 2 × the baseline; unchanged re-sync at most 0.5 × the first sync.
 */
@SpringBootTest(properties = { "seatkeeper.admin.password=" + DirectorySyncBenchmark.ADMIN_PASSWORD,
		"seatkeeper.directory.cron=-" })
@AutoConfigureMockMvc
class DirectorySyncBenchmark {

	static final String ADMIN_PASSWORD = "bench-secret-1";

	static final int ENTRIES = Integer.getInteger("bench.directory.entries", 100_000);

	static final int ROUNDS = Integer.getInteger("bench.directory.rounds", 3);

	static final String BASE = BenchDirectory.BASE;

	// UnboundID's in-memory server walks every entry for each page, so its paged read
	// costs
	// entries² / page: large pages keep the directory's share of the run (the same in
	// both
	// paths) from drowning the rest. The 1,000-entry size limit is tested in
	// DirectorySyncTests.
	static final int PAGE = Integer.getInteger("bench.directory.page", 25_000);

	static final int PORT = BenchDirectory.freePort();

	static final InMemoryDirectoryServer directory = BenchDirectory.start(PORT, ENTRIES);

	@DynamicPropertySource
	static void directory(DynamicPropertyRegistry registry) {
		BenchDirectory.register(registry, PORT, PAGE);
	}

	@AfterAll
	static void stop() {
		directory.shutDown(true);
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Test
	void firstSyncAndUnchangedResyncOfAHundredThousandEntriesAgainstRawReadAndInsert() throws Exception {
		this.jdbc.update("update license_pool set max_users = 100000000 where pool = 'PRIMARY'");
		this.jdbc.update("update directory_settings set max_block_percent = 100");
		long primary = this.jdbc.queryForObject("select id from area where kind = 'PRIMARY'", Long.class);
		// Warm-up of both paths.
		sync();
		clean();
		raw(primary);
		clean();
		double[] first = new double[ROUNDS];
		double[] again = new double[ROUNDS];
		double[] baseline = new double[ROUNDS];
		double[] readOnly = new double[ROUNDS];
		for (int i = 0; i < ROUNDS; i++) {
			readOnly[i] = BenchData.timeAndPeakHeap(() -> assertThat(read()).hasSize(ENTRIES))[0];
			baseline[i] = BenchData.timeAndPeakHeap(() -> raw(primary))[0];
			clean();
			first[i] = BenchData.timeAndPeakHeap(this::sync)[0];
			long version = this.jdbc.queryForObject("select sum(version) from profile", Long.class);
			again[i] = BenchData.timeAndPeakHeap(this::sync)[0];
			assertThat(this.jdbc.queryForObject("select sum(version) from profile", Long.class)).isEqualTo(version);
			clean();
		}
		Arrays.sort(first);
		Arrays.sort(again);
		Arrays.sort(baseline);
		Arrays.sort(readOnly);
		double firstMillis = first[ROUNDS / 2];
		double againMillis = again[ROUNDS / 2];
		double rawMillis = baseline[ROUNDS / 2];
		List<String> lines = new ArrayList<>();
		lines.add("database: " + BenchData.database(this.jdbc));
		lines.add(String.format("directory entries: %d, page size %d, rounds: %d (median)", ENTRIES, PAGE, ROUNDS));
		lines.add(String.format("seatkeeper first sync (paged read, plan, gate, batch insert): %.0f ms", firstMillis));
		lines.add(String.format("raw paged read + JDBC batch insert: %.0f ms", rawMillis));
		lines.add(String.format("ratio first / raw: %.2f (target <= 2)", firstMillis / rawMillis));
		lines.add(String.format("raw paged read alone (the directory's share of every run): %.0f ms",
				readOnly[ROUNDS / 2]));
		lines.add(String.format("seatkeeper unchanged re-sync: %.0f ms", againMillis));
		lines.add(String.format("ratio re-sync / first: %.2f (target <= 0.5)", againMillis / firstMillis));
		BenchData.write("directory", lines);
	}

	private void sync() {
		try {
			String body = this.mvc.perform(post("/api/v1/directory/sync").with(httpBasic("admin", ADMIN_PASSWORD)))
				.andReturn()
				.getResponse()
				.getContentAsString();
			String id = JsonPath.read(body, "$.id");
			String state;
			do {
				Thread.sleep(10);
				state = this.jdbc.queryForObject("select state from directory_run where id = ?", String.class, id);
			}
			while ("RUNNING".equals(state));
			assertThat(state).isEqualTo("DONE");
			assertThat(this.jdbc.queryForObject(
					"select count(*) from profile where source = 'DIRECTORY' and state = 'ACTIVE'", Integer.class))
				.isEqualTo(ENTRIES);
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
						row[4], ((String) row[4]).toLowerCase(Locale.ROOT), primary, now, now, row[0] });
				if (batch.size() == 1000) {
					insert(batch);
					batch.clear();
				}
			}
			insert(batch);
		});
	}

	private List<Object[]> read() {
		LdapContextSource source = new LdapContextSource();
		source.setUrl("ldap://localhost:" + PORT);
		source.setUserDn(BenchDirectory.BIND_DN);
		source.setPassword(BenchDirectory.BIND_PASSWORD);
		source.setBaseEnvironmentProperties(java.util.Map.of("java.naming.ldap.attributes.binary", "objectGUID"));
		source.setPooled(false);
		source.afterPropertiesSet();
		SearchControls controls = new SearchControls();
		controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
		controls.setReturningAttributes(new String[] { "objectGUID", "sAMAccountName", "mail", "givenName", "sn",
				"userAccountControl", "memberOf" });
		return SingleContextSource.doWithSingleContext(source, (operations) -> {
			List<Object[]> read = new ArrayList<>();
			PagedResultsDirContextProcessor pages = new PagedResultsDirContextProcessor(PAGE);
			do {
				read.addAll(operations.search(BASE, "(&(objectCategory=person)(objectClass=user))", controls,
						(Attributes attributes) -> new Object[] {
								HexFormat.of().formatHex((byte[]) attributes.get("objectGUID").get()),
								attributes.get("sAMAccountName").get().toString(),
								attributes.get("mail").get().toString(), attributes.get("givenName").get().toString(),
								attributes.get("sn").get().toString() },
						pages));
			}
			while (pages.hasMore());
			return read;
		});
	}

	private void insert(List<Object[]> batch) {
		this.jdbc.batchUpdate("insert into profile (username, username_key, email, email_key, first_name,"
				+ " first_name_key, last_name, last_name_key, area_id, pool, state, source, created_at, updated_at,"
				+ " directory_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'PRIMARY', 'ACTIVE', 'DIRECTORY', ?, ?, ?)",
				batch);
	}

	private void clean() {
		this.jdbc.update("delete from profile where built_in = false");
		this.jdbc.update("update license_pool set active_count = 0 where pool = 'PRIMARY'");
		this.jdbc.update("delete from directory_run");
	}

}
