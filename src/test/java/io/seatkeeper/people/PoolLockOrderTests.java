package io.seatkeeper.people;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.seatkeeper.Pools;
import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.license.LicenseService;
import io.seatkeeper.license.Pool;
import io.seatkeeper.people.ProfileLedger.Admission;
import io.seatkeeper.people.ProfileLedger.Draft;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every transaction locks the pools it needs in their declared order (Primary, then
 * Extranet), so that two of them can never wait for each other. The concurrent model test
 * found one that did not: an all-or-nothing batch that an Extranet pool seemed too small
 * for asked that pool at once, before anything was written, and the Primary pool only
 * after its rows — while a directory batch held the Primary pool and waited for the
 * Extranet one ({@code deadlock detected} on PostgreSQL). PostgreSQL only: it shows who
 * waits for which lock.
 */
@SpringBootTest
@Tag("database")
@Tag("postgresql-only")
class PoolLockOrderTests {

	@Autowired
	ProfileLedger ledger;

	@Autowired
	Areas areas;

	@Autowired
	AreaService areaService;

	@Autowired
	LicenseService licenses;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void pools() {
		// Two Primary licences free, one Extranet licence for the batch's two Extranet
		// rows.
		Pools.reset(this.jdbc, 2, 1);
	}

	@Test
	void anAllOrNothingBatchThatAPoolSeemsTooSmallForAsksThePoolsInTheirOrder() throws Exception {
		long partners = this.areaService.createExtranet("Partners", "test").id();
		long primary = this.areas.primary().id();
		List<Draft> drafts = List.of(draft("ann", primary, Pool.PRIMARY), draft("bob", partners, Pool.EXTRANET),
				draft("cat", partners, Pool.EXTRANET));

		// Another transaction holds the Primary pool and will want the Extranet pool
		// next, as a directory batch over both pools does.
		CountDownLatch primaryLocked = new CountDownLatch(1);
		CountDownLatch batchWaits = new CountDownLatch(1);
		CompletableFuture<Void> other = CompletableFuture.runAsync(() -> this.transactions.executeWithoutResult((s) -> {
			this.jdbc.queryForList("select pool from license_pool where pool = 'PRIMARY' for no key update");
			primaryLocked.countDown();
			await(batchWaits);
			this.jdbc.queryForList("select pool from license_pool where pool = 'EXTRANET' for no key update");
		}));
		assertThat(primaryLocked.await(10, TimeUnit.SECONDS)).isTrue();

		CompletableFuture<Object> batch = CompletableFuture.supplyAsync(() -> {
			try {
				return this.transactions
					.execute((s) -> this.ledger.createAll(drafts, Admission.ALL_OR_NOTHING, Set.of(), "test"));
			}
			catch (LicenseLimitExceeded refused) {
				return refused;
			}
		});
		// The batch waits for the Primary pool, holding nothing the other one needs
		// (before, it already held the Extranet pool here).
		waitForALockWait(batch);
		batchWaits.countDown();

		other.get(30, TimeUnit.SECONDS);
		Object outcome = batch.get(30, TimeUnit.SECONDS);
		assertThat(outcome).isInstanceOfSatisfying(LicenseLimitExceeded.class,
				(refused) -> assertThat(refused.pool()).isEqualTo(Pool.EXTRANET));
		assertThat(Pools.activeRows(this.jdbc, "PRIMARY")).isZero();
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
		assertThat(this.jdbc.queryForObject("select count(*) from profile where built_in = false", Integer.class))
			.isZero();
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	/**
	 * The queue is read without locks, then its first profiles are locked: one that a
	 * directory update moved to the other pool meanwhile waits for that pool now, and is
	 * not activated with a licence of the pool it left (the concurrent model test found
	 * Primary's counter at 2 for 1 active row).
	 */
	@Test
	void aProfileMovedToAnotherPoolWhileTheQueueWasReadIsNotActivatedInTheOldOne() throws Exception {
		long partners = this.areaService.createExtranet("Partners", "test").id();
		long primary = this.areas.primary().id();
		this.transactions.execute((s) -> this.ledger.createAll(
				List.of(new Draft("ann", "ann@example.test", "Ann", "Lee", primary, Pool.PRIMARY,
						ProfileSource.DIRECTORY, "guid-ann", "CN=ann")),
				Admission.ACTIVE_OR_AWAITING, java.util.EnumSet.of(Pool.PRIMARY), "test"));
		assertThat(this.jdbc.queryForObject("select state from profile where username = 'ann'", String.class))
			.isEqualTo("BLOCKED");

		CountDownLatch moved = new CountDownLatch(1);
		CountDownLatch queueWaits = new CountDownLatch(1);
		CompletableFuture<Void> move = CompletableFuture.runAsync(() -> this.transactions.executeWithoutResult((s) -> {
			// As a directory update moves an awaiting profile: it now awaits an Extranet
			// licence.
			this.jdbc.update("update profile set area_id = ?, pool = 'EXTRANET' where username = 'ann'", partners);
			moved.countDown();
			await(queueWaits);
		}));
		assertThat(moved.await(10, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Object> activation = CompletableFuture.supplyAsync(() -> this.transactions
			.execute((s) -> this.ledger.activateQueue(Pool.PRIMARY, 10, "test").activated()));
		waitForALockWait(activation);
		queueWaits.countDown();
		move.get(30, TimeUnit.SECONDS);

		assertThat(activation.get(30, TimeUnit.SECONDS)).isEqualTo(0);
		assertThat(this.jdbc.queryForObject(
				"select state || ' ' || block_reason || ' ' || pool from profile where username = 'ann'", String.class))
			.isEqualTo("BLOCKED AWAITING_LICENSE EXTRANET");
		assertThat(Pools.counter(this.jdbc, "PRIMARY")).isZero();
		assertThat(this.licenses.countMismatches()).isEmpty();
	}

	private void waitForALockWait(CompletableFuture<?> batch) throws InterruptedException, ExecutionException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			Integer waiting = this.jdbc
				.queryForObject("select count(*) from pg_locks l join pg_class c on c.oid = l.relation "
						+ "where not l.granted and c.relname = 'license_pool'", Integer.class);
			Integer waitingOnTransaction = this.jdbc.queryForObject(
					"select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()",
					Integer.class);
			if (waiting > 0 || waitingOnTransaction > 0) {
				return;
			}
			if (batch.isDone()) {
				fail("The batch ended without waiting for the Primary pool held by another transaction: "
						+ batch.get());
			}
			Thread.sleep(20);
		}
		fail("It never waited for the lock another transaction holds");
	}

	private static void await(CountDownLatch latch) {
		try {
			if (!latch.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("The batch never came to wait");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Draft draft(String username, long areaId, Pool pool) {
		return new Draft(username, username + "@example.test", "First", "Last", areaId, pool, ProfileSource.CSV, null,
				null);
	}

}
