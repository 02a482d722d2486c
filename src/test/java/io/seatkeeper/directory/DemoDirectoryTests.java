package io.seatkeeper.directory;

import io.seatkeeper.Pools;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code demo} profile: its embedded directory and settings give a sync that reaches
 * the limit and queues.
 */
@SpringBootTest(properties = { "spring.ldap.embedded.port=33391", "seatkeeper.directory.url=ldap://localhost:33391",
		"seatkeeper.directory.cron=-" })
@ActiveProfiles("demo")
class DemoDirectoryTests {

	@Autowired
	DirectorySync sync;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void theDemoSyncReachesTheLimitAndQueues() {
		DirectoryRunView run = this.sync.runNow("admin").orElseThrow();

		assertThat(run.state()).isEqualTo("DONE");
		assertThat(run.entriesRead()).isEqualTo(36);
		assertThat(run.createdActive()).isEqualTo(25);
		assertThat(run.createdAwaiting()).isEqualTo(10);
		assertThat(Pools.activeRows(this.jdbc, "PRIMARY")).isEqualTo(20);
		assertThat(Pools.activeRows(this.jdbc, "EXTRANET")).isEqualTo(5);
	}

}
