package io.seatkeeper.people;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.seatkeeper.TestDatabase;
import io.seatkeeper.license.DevKeys;
import io.seatkeeper.license.LicenseKeyRefused;
import io.seatkeeper.license.LicenseKeys;
import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.license.LicenseService;
import io.seatkeeper.license.Pool;
import io.seatkeeper.people.ImportService.ImportResult;
import io.seatkeeper.people.LedgerModel.Outcome;
import io.seatkeeper.people.LedgerModel.Person;
import io.seatkeeper.people.LedgerSteps.Add;
import io.seatkeeper.people.LedgerSteps.Block;
import io.seatkeeper.people.LedgerSteps.Delete;
import io.seatkeeper.people.LedgerSteps.DirectoryActivate;
import io.seatkeeper.people.LedgerSteps.DirectoryCreate;
import io.seatkeeper.people.LedgerSteps.DirectoryUpdate;
import io.seatkeeper.people.LedgerSteps.Entry;
import io.seatkeeper.people.LedgerSteps.Generator;
import io.seatkeeper.people.LedgerSteps.Import;
import io.seatkeeper.people.LedgerSteps.Key;
import io.seatkeeper.people.LedgerSteps.Move;
import io.seatkeeper.people.LedgerSteps.News;
import io.seatkeeper.people.LedgerSteps.Reinstate;
import io.seatkeeper.people.LedgerSteps.Sequence;
import io.seatkeeper.people.LedgerSteps.SignIn;
import io.seatkeeper.people.LedgerSteps.Step;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.seatkeeper.people.LedgerSteps.PARTNERS;
import static io.seatkeeper.people.LedgerSteps.PRIMARY_AREA;
import static io.seatkeeper.people.LedgerSteps.SUPPLIERS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model test of the one writer ({@link ProfileLedger}, R16): random sequences of
 * operations over both pools, through the public services that every path uses (single
 * adds, CSV imports in both modes, the directory's batch API, first sign-ins through
 * single sign-on, block, reinstate, move, delete, and licence keys that grow or shrink
 * the pools), run against the real writer and against {@link LedgerModel}, the rules of
 * PRODUCT.md in memory. After every step the database must hold what the model holds:
 * each profile's state, reason, area and pool, each pool's queue in order, each pool's
 * counter equal to its active rows, no pool above its maximum unless a key shrank it; and
 * a refusal happens exactly when the model says the pool is full.
 * <p>
 * The sequences are generated and shrunk here (see {@link LedgerSteps}): a failing one is
 * cut down to a short sequence that fails the same way, printed as Java, to keep below as
 * a regular test. {@code -Dseatkeeper.model.seed=…} replays a run,
 * {@code -Dseatkeeper.model.tries=…} changes its length.
 * <p>
 * The build runs the tests tagged {@code database} twice, on H2 and then on PostgreSQL
 * ({@link TestDatabase}). The sequential property runs in the first run only (on H2,
 * where a thousand sequences are fast), the concurrent one in the second only (on
 * PostgreSQL, whose row locks are the ones production relies on); each is guarded by the
 * tag that the build's two Surefire executions exclude ({@code h2-only} from the
 * PostgreSQL run, {@code postgresql-only} from the first). The kept examples run in both.
 */
@SpringBootTest(properties = "spring.datasource.hikari.maximum-pool-size=12")
@Tag("database")
class ProfileLedgerModelTests {

	private static final String ACTOR = "model";

	private static final AtomicLong serials = new AtomicLong();

	@DynamicPropertySource
	static void vendorKey(DynamicPropertyRegistry registry) {
		registry.add("seatkeeper.license.vendor-public-key", () -> DevKeys.PUBLIC_KEY);
	}

	@Autowired
	PeopleService people;

	@Autowired
	ImportService imports;

	@Autowired
	DirectoryAccounts accounts;

	@Autowired
	AwaitingQueue queue;

	@Autowired
	AreaService areaService;

	@Autowired
	LicenseKeys keys;

	@Autowired
	LicenseService licenses;

	@Autowired
	JdbcTemplate jdbc;

	private final Map<String, Long> areaIds = new HashMap<>();

	private final Map<String, Pool> areaPools = new HashMap<>();

	private final Map<String, Integer> cases = new TreeMap<>();

	@BeforeEach
	void areas() {
		for (String name : List.of(PARTNERS, SUPPLIERS)) {
			if (this.areaService.findByName(name).isEmpty()) {
				this.areaService.createExtranet(name, ACTOR);
			}
		}
		for (String name : LedgerSteps.AREAS) {
			AreaView area = this.areaService.findByName(name).orElseThrow();
			this.areaIds.put(name, area.id());
			this.areaPools.put(name, area.pool());
		}
	}

	// The properties.

	@Test
	@Tag("h2-only")
	void randomSequencesDoWhatTheRulesSay() {
		long seed = Long.getLong("seatkeeper.model.seed", new Random().nextLong());
		int tries = Integer.getInteger("seatkeeper.model.tries", 1000);
		long start = System.nanoTime();
		int steps = 0;
		for (int i = 0; i < tries; i++) {
			Played played = playRandom(new Generator(new Random(seed + i)), 15);
			Sequence sequence = played.sequence();
			Throwable failure = played.failure();
			if (failure != null) {
				Sequence shrunk = LedgerSteps.shrink(sequence, failure, this::run, 400);
				throw new AssertionError(
						"Sequence " + i + " of seed " + seed + " (-Dseatkeeper.model.seed=" + seed
								+ ") failed; shrunk to " + shrunk.steps().size() + " steps:\n" + shrunk.java() + "\n",
						run(shrunk));
			}
			steps += sequence.steps().size();
		}
		System.out.printf(Locale.ROOT, "Model run on H2: %d sequences, %d steps, in %.1f s (seed %d); cases: %s%n",
				tries, steps, (System.nanoTime() - start) / 1e9, seed, this.cases);
	}

	@Test
	@Tag("postgresql-only")
	void concurrentSequencesKeepTheInvariants() throws Exception {
		long seed = Long.getLong("seatkeeper.model.seed", new Random().nextLong());
		int tries = Integer.getInteger("seatkeeper.model.concurrent-tries", 60);
		long start = System.nanoTime();
		ExecutorService threads = Executors.newFixedThreadPool(3);
		try {
			for (int i = 0; i < tries; i++) {
				try {
					concurrently(new Random(seed + i), threads);
				}
				catch (AssertionError | RuntimeException ex) {
					throw new AssertionError("Concurrent sequence " + i + " of seed " + seed
							+ " (-Dseatkeeper.model.seed=" + seed + ") failed: " + ex.getMessage(), ex);
				}
			}
		}
		finally {
			threads.shutdownNow();
		}
		System.out.printf(Locale.ROOT,
				"Concurrent model run on PostgreSQL: %d sequences of 3 threads, in %.1f s (seed %d)%n", tries,
				(System.nanoTime() - start) / 1e9, seed);
	}

	// Kept sequences.

	@Test
	void aKeyThatShrinksAPoolBlocksNobodyAndTheGateRefusesUntilItIsBackUnder() {
		assertPasses(Sequence.of(3, 1, new Add("ann", PRIMARY_AREA), new Add("bob", PRIMARY_AREA),
				new Add("cat", PRIMARY_AREA), new Key(1, 1), new Reinstate("ann"), new Add("dan", PRIMARY_AREA),
				new Block("ann"), new Reinstate("ann"), new Block("bob"), new Reinstate("ann"), new Delete("cat"),
				new Reinstate("ann"), new Move("ann", PARTNERS)));
	}

	@Test
	void newDirectoryEntriesWaitBehindTheQueueAndTheQueueIsServedOldestFirst() {
		assertPasses(Sequence.of(1, 1, new DirectoryCreate(List.of(new Entry("ann", PRIMARY_AREA))),
				new DirectoryCreate(List.of(new Entry("bob", PRIMARY_AREA), new Entry("cat", PARTNERS))),
				new DirectoryCreate(List.of(new Entry("dan", PRIMARY_AREA), new Entry("eve", SUPPLIERS))),
				new Key(3, 2), new DirectoryCreate(List.of(new Entry("fay", PRIMARY_AREA))),
				new DirectoryActivate(Pool.PRIMARY, 1), new DirectoryActivate(Pool.EXTRANET, 2),
				new DirectoryActivate(Pool.PRIMARY, 2)));
	}

	/**
	 * The property's shrunk counter-example when the queue was served newest first (a
	 * deliberate mutation of {@code ProfileLedger.activateQueue}'s order, to see that the
	 * property finds and shrinks such a fault): ann waits from the first batch, dan from
	 * the second, and the one free licence is ann's.
	 */
	@Test
	void theQueueIsServedOldestFirstAcrossBatches() {
		assertPasses(
				Sequence.of(0, 1, new DirectoryCreate(List.of(new Entry("bob", SUPPLIERS), new Entry("ann", PARTNERS))),
						new DirectoryCreate(List.of(new Entry("dan", SUPPLIERS))), new Block("bob"),
						new DirectoryActivate(Pool.EXTRANET, 3)));
	}

	/**
	 * The property's shrunk counter-example (seed -5640693423405243234, sequence 593):
	 * one directory update left two profiles awaiting the same pool — GUS, an active
	 * mover the full Extranet pool had no licence for, and cat, back in scope — and
	 * stamped them with two different moments, so the later-created cat queued first. One
	 * change now has one moment, and profiles it leaves awaiting queue in the order they
	 * came.
	 */
	@Test
	void profilesOneDirectoryUpdateLeavesAwaitingQueueInTheOrderTheyCame() {
		assertPasses(Sequence.of(1, 0,
				new DirectoryCreate(List.of(new Entry("GUS", PRIMARY_AREA), new Entry("cat", SUPPLIERS))),
				new DirectoryUpdate(List.of(new News("CAT", null, true, true))), new DirectoryUpdate(
						List.of(new News("gus", PARTNERS, true, false), new News("cat", PARTNERS, true, false)))));
	}

	@Test
	void aDirectoryMoveIntoAFullPoolWaitsAndAReturningProfileQueuesAtTheEnd() {
		assertPasses(Sequence.of(2, 1,
				new DirectoryCreate(List.of(new Entry("ann", PRIMARY_AREA), new Entry("bob", PRIMARY_AREA),
						new Entry("cat", PARTNERS), new Entry("dan", PARTNERS))),
				new DirectoryUpdate(
						List.of(new News("ann", PARTNERS, true, false), new News("cat", null, false, false))),
				new DirectoryUpdate(List.of(new News("bob", SUPPLIERS, true, false))),
				new DirectoryUpdate(List.of(new News("cat", null, true, false), new News("ann", null, true, true))),
				new DirectoryUpdate(List.of(new News("ann", PRIMARY_AREA, true, false))),
				new DirectoryActivate(Pool.PRIMARY, 3), new DirectoryActivate(Pool.EXTRANET, 3)));
	}

	@Test
	void csvImportsInBothModesAndSignInsShareThePools() {
		assertPasses(Sequence.of(3, 2, new SignIn("ann", PARTNERS), new Add("bob", PRIMARY_AREA),
				new Import(ImportMode.ALL_OR_NOTHING,
						List.of(new Entry("BOB", PRIMARY_AREA), new Entry("cat", PRIMARY_AREA),
								new Entry("dan", PRIMARY_AREA), new Entry("eve", SUPPLIERS))),
				new Import(ImportMode.AS_MANY_AS_FIT,
						List.of(new Entry("cat", PRIMARY_AREA), new Entry("dan", PRIMARY_AREA),
								new Entry("eve", SUPPLIERS), new Entry("fay", PARTNERS), new Entry("Cat", PARTNERS))),
				new SignIn("gus", PARTNERS),
				new Import(ImportMode.ALL_OR_NOTHING, List.of(new Entry("hal", PARTNERS)))));
	}

	// Running a sequence.

	private void assertPasses(Sequence sequence) {
		Throwable failure = run(sequence);
		if (failure != null) {
			throw new AssertionError(failure.getMessage(), failure);
		}
	}

	/**
	 * Runs the sequence on an empty database and gives back how it failed, or
	 * {@code null}.
	 */
	private Throwable run(Sequence sequence) {
		reset(sequence.maxUsers(), sequence.maxExtranetUsers());
		return play(new LedgerModel(this.areaPools, sequence.maxUsers(), sequence.maxExtranetUsers(), this.cases),
				sequence.steps());
	}

	/**
	 * Does the steps one after the other, with the writer and in the model, checking the
	 * database after each, and gives back how it failed, or {@code null}.
	 */
	private Throwable play(LedgerModel model, List<Step> steps) {
		for (int i = 0; i < steps.size(); i++) {
			Throwable failure = take(model, steps.get(i), steps.subList(0, i + 1));
			if (failure != null) {
				return failure;
			}
		}
		return null;
	}

	/**
	 * A new random sequence on an empty database, each step chosen from what the model
	 * holds then, done and checked at once.
	 */
	private Played playRandom(Generator generator, int maxSteps) {
		int maxUsers = generator.maxUsers();
		int maxExtranetUsers = generator.maxExtranetUsers();
		reset(maxUsers, maxExtranetUsers);
		LedgerModel model = new LedgerModel(this.areaPools, maxUsers, maxExtranetUsers, this.cases);
		List<Step> steps = new ArrayList<>();
		Throwable failure = null;
		for (int i = generator.length(maxSteps); i > 0 && failure == null; i--) {
			steps.add(generator.step(model));
			failure = take(model, steps.get(steps.size() - 1), steps);
		}
		return new Played(new Sequence(maxUsers, maxExtranetUsers, steps), failure, model);
	}

	/** A sequence as it was played, how it failed or {@code null}, and its model. */
	private record Played(Sequence sequence, Throwable failure, LedgerModel model) {
	}

	/**
	 * Does one step with the writer and in the model and checks the database, and gives
	 * back how it failed, or {@code null}.
	 * @param done the steps so far, this one last, for the message
	 */
	private Throwable take(LedgerModel model, Step step, List<Step> done) {
		try {
			model.step();
			apply(step, model);
			check(model);
			model.settle();
			return null;
		}
		catch (AssertionError | RuntimeException ex) {
			return new AssertionError("After\n  " + done.stream().map(Step::java).collect(Collectors.joining("\n  "))
					+ "\n" + ex.getMessage() + "\nThe model holds:\n" + model, ex);
		}
	}

	/**
	 * Empties the tables a sequence writes, cheaply, with SQL: every profile but the
	 * built-in administrator, the uploads, the keys and the audit log; the pools get the
	 * maxima and nothing active.
	 */
	private void reset(int maxUsers, int maxExtranetUsers) {
		this.jdbc.update("delete from profile where built_in = false");
		this.jdbc.update("delete from import_job");
		this.jdbc.update("delete from license_key");
		this.jdbc.update("delete from audit_event");
		this.jdbc.update("update license_pool set active_count = 0, expires_on = null, max_users = ? where pool = ?",
				maxUsers, Pool.PRIMARY.name());
		this.jdbc.update("update license_pool set active_count = 0, expires_on = null, max_users = ? where pool = ?",
				maxExtranetUsers, Pool.EXTRANET.name());
		this.jdbc.update("update directory_settings set activate_when_free = false");
	}

	/** Does the step with the writer and in the model, and compares what each says. */
	private void apply(Step step, LedgerModel model) {
		if (step instanceof Add add) {
			Outcome expected = model.add(add.username(), add.area(), ProfileSource.LOCAL);
			assertOutcome(expected, add.area(),
					() -> this.people.create(newProfile(add.username(), add.area(), ProfileSource.LOCAL), ACTOR));
		}
		else if (step instanceof SignIn signIn) {
			Outcome expected = model.add(signIn.username(), signIn.area(), ProfileSource.SSO);
			assertOutcome(expected, signIn.area(), () -> signIn(signIn.username(), signIn.area()));
		}
		else if (step instanceof Import csv) {
			LedgerModel.Import expected = model.importRows(csv.mode(), csv.rows());
			ImportResult result = importNow(csv);
			assertThat(List.of(result.job().status(), result.job().created(), result.job().skipped(),
					result.job().refused(), result.job().invalid()))
				.as("the import's status, created, skipped, refused and invalid rows")
				.isEqualTo(List.of(expected.refused() ? "REFUSED" : "DONE", expected.created(), expected.exists(),
						expected.refusedRows(), expected.invalid()));
		}
		else if (step instanceof DirectoryCreate create) {
			Set<Pool> full = queued();
			LedgerModel.DirectoryCreation expected = model.createFromDirectory(create.entries());
			DirectoryChanges changes = this.accounts.create(create.entries().stream().map(this::entry).toList(), full,
					ACTOR);
			assertThat(List.of(changes.createdActive(), changes.createdAwaiting(), changes.errors().size()))
				.as("created active, awaiting, and errors")
				.isEqualTo(List.of(expected.active(), expected.awaiting(), expected.errors()));
		}
		else if (step instanceof DirectoryUpdate update) {
			Map<String, LedgerModel.DirectoryNews> news = new LinkedHashMap<>();
			for (News one : update.news()) {
				model.find(one.username())
					.filter((person) -> person.source == ProfileSource.DIRECTORY)
					.ifPresent((person) -> news.put(person.key(),
							new LedgerModel.DirectoryNews(one.area(), one.enabled(), one.gone())));
			}
			updateFromDirectory(news);
			model.updateFromDirectory(news);
		}
		else if (step instanceof DirectoryActivate activate) {
			int expected = model.activateQueue(activate.pool());
			assertThat(this.queue.activate(activate.pool(), activate.chunk(), ACTOR))
				.as("activated from the %s queue", activate.pool())
				.isEqualTo(expected);
		}
		else if (step instanceof Block block) {
			Long id = id(block.username());
			if (model.block(block.username()) != Outcome.MISSING) {
				this.people.block(id, ACTOR);
			}
		}
		else if (step instanceof Reinstate reinstate) {
			Long id = id(reinstate.username());
			String area = model.find(reinstate.username()).map((person) -> person.area).orElse(null);
			Outcome expected = model.reinstate(reinstate.username());
			if (expected != Outcome.MISSING) {
				assertOutcome(expected, area, () -> this.people.reinstate(id, ACTOR));
			}
		}
		else if (step instanceof Move move) {
			Long id = id(move.username());
			Outcome expected = model.move(move.username(), move.area());
			if (expected != Outcome.MISSING) {
				assertOutcome(expected, move.area(), () -> this.people.move(id, this.areaIds.get(move.area()), ACTOR));
			}
		}
		else if (step instanceof Delete delete) {
			Long id = id(delete.username());
			if (model.delete(delete.username()) != Outcome.MISSING) {
				this.people.delete(id, delete.username(), ACTOR);
			}
		}
		else if (step instanceof Key key) {
			// A real key, signed like the vendor's tool signs it (DevKeys).
			this.keys.apply(DevKeys.sign(serials.incrementAndGet(), key.maxUsers(), key.maxExtranetUsers()), ACTOR);
			model.applyKey(key.maxUsers(), key.maxExtranetUsers());
		}
		else {
			throw new IllegalArgumentException("Unknown step " + step);
		}
	}

	/**
	 * Runs an operation and checks that it is refused exactly when the model says the
	 * pool is full, by that pool, and that a taken username is refused as such.
	 */
	private void assertOutcome(Outcome expected, String area, Runnable operation) {
		Outcome actual;
		Pool refusedBy = null;
		try {
			operation.run();
			actual = (expected == Outcome.UNCHANGED) ? Outcome.UNCHANGED : Outcome.DONE;
		}
		catch (LicenseLimitExceeded refusal) {
			actual = Outcome.REFUSED;
			refusedBy = refusal.pool();
		}
		catch (UsernameTaken taken) {
			actual = Outcome.TAKEN;
		}
		assertThat(actual).as("the outcome").isEqualTo(expected);
		if (refusedBy != null) {
			assertThat(refusedBy).as("the pool that refused").isEqualTo(this.areaPools.get(area));
		}
	}

	/**
	 * The database holds what the model holds: the same profiles, each with its source,
	 * area, pool, state and reason; the same queue in each pool, in order; each pool's
	 * maximum, its counter equal to its active rows and to the model's count, and no more
	 * active profiles than the maximum unless a key shrank the pool; one identity per
	 * profile from single sign-on.
	 */
	private void check(LedgerModel model) {
		List<Map<String, Object>> rows = this.jdbc.queryForList("""
				select p.id, p.username, p.username_key, p.source, a.name as area, p.pool, p.state, p.block_reason
				from profile p join area a on a.id = p.area_id
				where p.built_in = false order by p.awaiting_since, p.id""");
		Map<String, Long> ids = new HashMap<>();
		Map<String, String> actual = new TreeMap<>();
		Map<Pool, List<String>> queues = new EnumMap<>(Pool.class);
		for (Map<String, Object> row : rows) {
			ids.put((String) row.get("username_key"), ((Number) row.get("id")).longValue());
			actual.put((String) row.get("username_key"), row.get("username") + " " + row.get("source") + " "
					+ row.get("area") + " " + row.get("pool") + " " + row.get("state") + " " + row.get("block_reason"));
			if (BlockReason.AWAITING_LICENSE.name().equals(row.get("block_reason"))) {
				queues.computeIfAbsent(Pool.valueOf((String) row.get("pool")), (pool) -> new ArrayList<>())
					.add((String) row.get("username"));
			}
		}
		Map<String, String> expected = new TreeMap<>();
		for (Person person : model.people()) {
			if (person.id == 0 && ids.containsKey(person.key())) {
				person.id = ids.get(person.key());
			}
			expected.put(person.key(), person.username + " " + person.source + " " + person.area + " " + person.pool
					+ " " + person.standing.state() + " " + person.standing.reason);
		}
		assertThat(actual).as("the profiles").isEqualTo(expected);
		for (Pool pool : Pool.values()) {
			assertThat(queues.getOrDefault(pool, List.of())).as("the %s queue", pool)
				.isEqualTo(model.queue(pool).stream().map((person) -> person.username).toList());
			Map<String, Object> row = this.jdbc
				.queryForMap("select max_users, active_count from license_pool where pool = ?", pool.name());
			int counter = ((Number) row.get("active_count")).intValue();
			long activeRows = rows.stream()
				.filter((profile) -> pool.name().equals(profile.get("pool"))
						&& ProfileState.ACTIVE.name().equals(profile.get("state")))
				.count();
			assertThat(((Number) row.get("max_users")).intValue()).as("the %s maximum", pool)
				.isEqualTo(model.max(pool));
			assertThat(counter).as("the %s counter", pool).isEqualTo(activeRows).isEqualTo(model.active(pool));
			assertThat(counter).as("the %s active count, at most its maximum unless a key shrank it", pool)
				.isLessThanOrEqualTo(model.ceiling(pool));
		}
		assertThat(this.jdbc.queryForList("""
				select p.username from profile p where p.source = 'SSO'
				and (select count(*) from sso_identity s where s.profile_id = p.id) <> 1""", String.class))
			.as("profiles from single sign-on without exactly one identity")
			.isEmpty();
		assertThat(this.jdbc.queryForObject("select count(*) from sso_identity", Integer.class))
			.as("identities, one per profile from single sign-on")
			.isEqualTo((int) model.people().stream().filter((person) -> person.source == ProfileSource.SSO).count());
	}

	// The operations, as each path does them.

	private NewProfile newProfile(String username, String area, ProfileSource source) {
		return new NewProfile(username, username + "@example.org", "Given", "Sur", this.areaIds.get(area), null,
				source);
	}

	/**
	 * A first sign-in through single sign-on, as {@code SsoAccounts} does it: the profile
	 * through the gate and its identity link in the same transaction.
	 */
	private void signIn(String username, String area) {
		this.people.provision(newProfile(username, area, ProfileSource.SSO), "sso-sign-in", username,
				(created) -> this.jdbc.update(
						"insert into sso_identity (issuer, subject, profile_id, registration_id, created_at) "
								+ "values ('https://id.example.org', ?, ?, 'corporate', current_timestamp)",
						"sub-" + created.id(), created.id()));
	}

	private ImportResult importNow(Import csv) {
		StringBuilder content = new StringBuilder("username,email,first_name,last_name,area\n");
		for (Entry row : csv.rows()) {
			content.append(row.username())
				.append(',')
				.append(row.username())
				.append("@example.org,Given,Sur,")
				.append(PRIMARY_AREA.equals(row.area()) ? "" : row.area())
				.append('\n');
		}
		return this.imports.importNow("model.csv", content.toString().getBytes(StandardCharsets.UTF_8), csv.mode(),
				ACTOR, Locale.ENGLISH);
	}

	/** A directory entry with a stable directory id, derived from its username. */
	private DirectoryEntry entry(Entry entry) {
		return new DirectoryEntry("guid-" + Profile.usernameKey(entry.username()),
				"CN=" + entry.username() + ",OU=" + entry.area() + ",DC=example,DC=org", entry.username(),
				entry.username() + "@example.org", "Given", "Sur", this.areaIds.get(entry.area()), true);
	}

	/**
	 * The pools whose directory queue is not empty, which must grant new entries nothing:
	 * what the sync passes after activating the queues.
	 */
	private Set<Pool> queued() {
		Set<Pool> full = EnumSet.noneOf(Pool.class);
		for (Pool pool : Pool.values()) {
			if (this.queue.countAwaiting(pool) > 0) {
				full.add(pool);
			}
		}
		return full;
	}

	/** What the directory now says of existing directory profiles, by username key. */
	private void updateFromDirectory(Map<String, LedgerModel.DirectoryNews> news) {
		Map<Long, DirectoryEntry> changed = new LinkedHashMap<>();
		List<Long> gone = new ArrayList<>();
		news.forEach((key, one) -> this.accounts.findByUsername(key).ifPresent((account) -> {
			if (one.gone()) {
				gone.add(account.id());
			}
			else {
				changed.put(account.id(),
						new DirectoryEntry(account.directoryId(), account.dn(), account.username(), account.email(),
								account.firstName(), account.lastName(),
								(one.area() != null) ? this.areaIds.get(one.area()) : account.areaId(), one.enabled()));
			}
		}));
		this.accounts.update(changed, gone, ACTOR);
	}

	private Long id(String username) {
		return this.jdbc
			.queryForList("select id from profile where username_key = ?", Long.class, Profile.usernameKey(username))
			.stream()
			.findFirst()
			.orElse(null);
	}

	// The concurrent variant.

	/**
	 * One concurrent sequence: a few steps one after the other, checked against the
	 * model; then three threads, each doing a few operations at once (each thread creates
	 * only its own people, so that no two threads insert the same username; the others
	 * operations name anyone). Afterwards: every counter equals its rows, no pool holds
	 * more than the largest maximum it had (nor more than its maximum when no key shrank
	 * it), no profile is active with a block reason or awaits without being blocked for
	 * that, and every profile and every active profile is accounted for by an operation
	 * that succeeded. Then the database, taken as a model, must go on obeying the rules
	 * for a few more steps.
	 */
	private void concurrently(Random random, ExecutorService threads) throws Exception {
		Played played = playRandom(new Generator(random), 6);
		Sequence prefix = played.sequence();
		if (played.failure() != null) {
			throw new AssertionError("The sequential start failed:\n" + prefix.java(), played.failure());
		}
		LedgerModel start = played.model();
		Map<String, Boolean> before = new HashMap<>();
		start.people().forEach((person) -> before.put(person.key(), person.standing == LedgerModel.Standing.ACTIVE));
		// Activations happen only below the maximum in force, so no pool can hold more
		// than what it held (a key may have shrunk it below that) or the largest maximum
		// that a key gives it meanwhile.
		Map<Pool, Integer> bound = new EnumMap<>(Pool.class);
		for (Pool pool : Pool.values()) {
			bound.put(pool, start.ceiling(pool));
		}
		List<List<Step>> plans = new ArrayList<>();
		for (int thread = 0; thread < 3; thread++) {
			List<String> own = LedgerSteps.NAMES.subList(thread * 3, thread * 3 + 3);
			plans.add(new Generator(random, own).steps(2 + random.nextInt(3), start));
		}
		for (List<Step> plan : plans) {
			for (Step step : plan) {
				if (step instanceof Key key) {
					bound.merge(Pool.PRIMARY, key.maxUsers(), Math::max);
					bound.merge(Pool.EXTRANET, key.maxExtranetUsers(), Math::max);
				}
			}
		}
		CountDownLatch go = new CountDownLatch(1);
		List<Future<List<Done>>> results = new ArrayList<>();
		for (List<Step> plan : plans) {
			results.add(threads.submit(() -> {
				go.await();
				List<Done> done = new ArrayList<>();
				for (Step step : plan) {
					done.add(attempt(step));
				}
				return done;
			}));
		}
		go.countDown();
		List<Done> done = new ArrayList<>();
		for (Future<List<Done>> result : results) {
			done.addAll(result.get(60, TimeUnit.SECONDS));
		}
		String story = "started from\n" + prefix.java() + "\nthen at once:\n"
				+ plans.stream()
					.map((plan) -> "  " + plan.stream().map(Step::java).collect(Collectors.joining("; ")))
					.collect(Collectors.joining("\n"))
				+ "\nwhich did " + done;
		assertThat(done.stream().filter((one) -> one.unexpected() != null).map(Done::unexpected).toList())
			.as("unexpected failures, when %s", story)
			.isEmpty();

		assertThat(this.licenses.countMismatches()).as("counters that differ from the rows, when %s", story).isEmpty();
		for (Pool pool : Pool.values()) {
			assertThat(io.seatkeeper.Pools.counter(this.jdbc, pool.name())).as("%s active, when %s", pool, story)
				.isLessThanOrEqualTo(bound.get(pool));
		}
		assertThat(this.jdbc.queryForObject("""
				select count(*) from profile where (state = 'ACTIVE' and (block_reason is not null
				    or awaiting_since is not null or blocked_at is not null))
				or (state = 'BLOCKED' and block_reason is null)
				or ((block_reason = 'AWAITING_LICENSE') <> (awaiting_since is not null))""", Integer.class))
			.as("profiles whose state, reason and place in the queue disagree, when %s", story)
			.isZero();

		Set<String> created = new HashSet<>(before.keySet());
		Set<String> mayBeActive = new HashSet<>();
		before.forEach((key, active) -> {
			if (active) {
				mayBeActive.add(key);
			}
		});
		boolean queueActivated = false;
		for (Done one : done) {
			if (one.succeeded()) {
				created.addAll(one.created());
				mayBeActive.addAll(one.activated());
				queueActivated |= one.step() instanceof DirectoryActivate;
			}
		}
		boolean fromQueue = queueActivated;
		this.jdbc.query("select username_key, state, source from profile where built_in = false", (rs) -> {
			String key = rs.getString(1);
			assertThat(created).as("profile %s was created by an operation that succeeded, when %s", key, story)
				.contains(key);
			if ("ACTIVE".equals(rs.getString(2)) && !(fromQueue && "DIRECTORY".equals(rs.getString(3)))) {
				assertThat(mayBeActive)
					.as("active profile %s was made active by an operation that succeeded, when %s", key, story)
					.contains(key);
			}
		});

		// The state that the threads left must be one the rules can go on from.
		LedgerModel model = fromDatabase();
		Generator generator = new Generator(random);
		List<Step> after = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			after.add(generator.step(model));
			Throwable failure = take(model, after.get(i), after);
			if (failure != null) {
				throw new AssertionError("After the threads, when " + story, failure);
			}
		}
	}

	/** What one thread's operation did. */
	private record Done(Step step, boolean succeeded, Set<String> created, Set<String> activated,
			Throwable unexpected) {

		@Override
		public String toString() {
			return step.getClass().getSimpleName()
					+ (this.succeeded ? " ok" : (this.unexpected != null) ? " failed: " + this.unexpected : " refused");
		}

	}

	/**
	 * Does a step without a model, as one of several threads, and says what it did.
	 * Refusals and the answers of a race (the profile deleted meanwhile, the username
	 * taken, a key older than one applied meanwhile) are expected; anything else is not.
	 */
	private Done attempt(Step step) {
		Set<String> created = new HashSet<>();
		Set<String> activated = new HashSet<>();
		try {
			if (step instanceof Add add) {
				this.people.create(newProfile(add.username(), add.area(), ProfileSource.LOCAL), ACTOR);
				created.add(Profile.usernameKey(add.username()));
				activated.addAll(created);
			}
			else if (step instanceof SignIn signIn) {
				signIn(signIn.username(), signIn.area());
				created.add(Profile.usernameKey(signIn.username()));
				activated.addAll(created);
			}
			else if (step instanceof Import csv) {
				ImportResult result = importNow(csv);
				if (!"DONE".equals(result.job().status())) {
					return new Done(step, false, created, activated, null);
				}
				result.plan()
					.rows()
					.stream()
					.filter((row) -> row.outcome() == ImportOutcome.CREATED)
					.forEach((row) -> created.add(Profile.usernameKey(row.username())));
				activated.addAll(created);
			}
			else if (step instanceof DirectoryCreate create) {
				DirectoryChanges changes = this.accounts.create(create.entries().stream().map(this::entry).toList(),
						queued(), ACTOR);
				// The errors come in the order of the entries.
				List<DirectoryChanges.DirectoryError> errors = changes.errors();
				int next = 0;
				for (Entry entry : create.entries()) {
					if (next < errors.size() && errors.get(next).dn().equals(entry(entry).dn())) {
						next++;
					}
					else {
						created.add(Profile.usernameKey(entry.username()));
					}
				}
				activated.addAll(created);
			}
			else if (step instanceof DirectoryUpdate update) {
				Map<String, LedgerModel.DirectoryNews> news = new LinkedHashMap<>();
				for (News one : update.news()) {
					news.put(Profile.usernameKey(one.username()),
							new LedgerModel.DirectoryNews(one.area(), one.enabled(), one.gone()));
				}
				// It keeps active profiles active or blocks them; it activates nobody.
				updateFromDirectory(news);
			}
			else if (step instanceof DirectoryActivate activate) {
				this.queue.activate(activate.pool(), activate.chunk(), ACTOR);
			}
			else if (step instanceof Key key) {
				this.keys.apply(DevKeys.sign(serials.incrementAndGet(), key.maxUsers(), key.maxExtranetUsers()), ACTOR);
			}
			else {
				String username = (step instanceof Block block) ? block.username()
						: (step instanceof Reinstate reinstate) ? reinstate.username()
								: (step instanceof Move move) ? move.username() : ((Delete) step).username();
				Long id = id(username);
				if (id == null) {
					return new Done(step, false, created, activated, null);
				}
				if (step instanceof Block) {
					this.people.block(id, ACTOR);
				}
				else if (step instanceof Reinstate) {
					this.people.reinstate(id, ACTOR);
					activated.add(Profile.usernameKey(username));
				}
				else if (step instanceof Move move) {
					// It keeps an active profile active; it activates nobody.
					this.people.move(id, this.areaIds.get(move.area()), ACTOR);
				}
				else {
					this.people.delete(id, username, ACTOR);
				}
			}
			return new Done(step, true, created, activated, null);
		}
		catch (LicenseLimitExceeded | PeopleRefusal | LicenseKeyRefused refusal) {
			return new Done(step, false, created, activated, null);
		}
		catch (RuntimeException ex) {
			return new Done(step, false, created, activated, ex);
		}
	}

	private Map<Pool, Integer> maxima() {
		Map<Pool, Integer> maxima = new EnumMap<>(Pool.class);
		this.jdbc.query("select pool, max_users from license_pool", (rs) -> {
			maxima.put(Pool.valueOf(rs.getString(1)), rs.getInt(2));
		});
		return maxima;
	}

	/**
	 * The model of what the database holds now: its profiles, their places in the queues
	 * (the order of their awaiting times and ids), and the pools' maxima, with room for
	 * an overage that is already there.
	 */
	private LedgerModel fromDatabase() {
		Map<Pool, Integer> maxima = maxima();
		LedgerModel model = new LedgerModel(this.areaPools, maxima.get(Pool.PRIMARY), maxima.get(Pool.EXTRANET),
				this.cases);
		List<Map<String, Object>> rows = this.jdbc.queryForList("""
				select p.id, p.username, p.source, a.name as area, p.pool, p.state, p.block_reason
				from profile p join area a on a.id = p.area_id
				where p.built_in = false order by p.awaiting_since, p.id""");
		long place = 0;
		for (Map<String, Object> row : rows) {
			String reason = (String) row.get("block_reason");
			Person person = new Person((String) row.get("username"), ProfileSource.valueOf((String) row.get("source")),
					(String) row.get("area"), Pool.valueOf((String) row.get("pool")),
					LedgerModel.Standing.of(ProfileState.valueOf((String) row.get("state")),
							(reason != null) ? BlockReason.valueOf(reason) : null),
					-1_000_000 + place++);
			person.id = ((Number) row.get("id")).longValue();
			model.put(person);
		}
		model.applyKey(maxima.get(Pool.PRIMARY), maxima.get(Pool.EXTRANET));
		return model;
	}

}
