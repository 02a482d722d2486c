package io.seatkeeper.people;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.seatkeeper.license.Pool;

/**
 * The licence rules of PRODUCT.md (R2 pools, R3 who uses a licence, R4 and R5 the gate
 * and its refusals, R6 the CSV upload, R7 and R8 the directory's queue, R9 block, delete
 * and move, R14 keys that grow or shrink a pool) for a handful of people, in memory. It
 * says what each operation should do; {@link ProfileLedgerModelTests} makes the real
 * writer do the same and compares.
 * <p>
 * Time is a step counter: a profile that starts to await a licence in step {@code n}
 * waits behind everyone who started before, and, within one step, in the order of the
 * profiles' ids (the order of their rows), as the licence page shows the queue.
 */
final class LedgerModel {

	/** Where a profile stands: the state and block reason of R3, R7 and R8. */
	enum Standing {

		ACTIVE(null), AWAITING(BlockReason.AWAITING_LICENSE), ADMINISTRATOR(BlockReason.ADMINISTRATOR),
		DIRECTORY(BlockReason.DIRECTORY);

		final BlockReason reason;

		Standing(BlockReason reason) {
			this.reason = reason;
		}

		ProfileState state() {
			return (this == ACTIVE) ? ProfileState.ACTIVE : ProfileState.BLOCKED;
		}

		static Standing of(ProfileState state, BlockReason reason) {
			if (state == ProfileState.ACTIVE) {
				return ACTIVE;
			}
			for (Standing standing : values()) {
				if (standing.reason == reason) {
					return standing;
				}
			}
			throw new IllegalArgumentException("No standing for " + state + " " + reason);
		}

	}

	/** What an operation on one profile should do. */
	enum Outcome {

		/** It changed the profile. */
		DONE,
		/** It had nothing to change. */
		UNCHANGED,
		/** The pool is full: refused, nothing changed (R5). */
		REFUSED,
		/** The username exists already, ignoring case. */
		TAKEN,
		/** There is no such profile. */
		MISSING

	}

	/** One profile. */
	static final class Person {

		final String username;

		final ProfileSource source;

		String area;

		Pool pool;

		Standing standing;

		/** The step in which it started to await a licence; its place in the queue. */
		long awaitingSince;

		/** Its row's id, once the database gave it one: the order within a step. */
		long id;

		Person(String username, ProfileSource source, String area, Pool pool, Standing standing, long awaitingSince) {
			this.username = username;
			this.source = source;
			this.area = area;
			this.pool = pool;
			this.standing = standing;
			this.awaitingSince = awaitingSince;
		}

		String key() {
			return key(this.username);
		}

		static String key(String username) {
			return Profile.usernameKey(username);
		}

		void stand(Standing standing, long now) {
			if (standing == Standing.AWAITING && this.standing != Standing.AWAITING) {
				this.awaitingSince = now;
			}
			this.standing = standing;
		}

		@Override
		public String toString() {
			return this.username + " " + this.source + " " + this.area + " " + this.pool + " " + this.standing
					+ ((this.standing == Standing.AWAITING) ? " since " + this.awaitingSince : "");
		}

	}

	/** What a CSV import should report (R6). */
	record Import(boolean refused, int created, int exists, int refusedRows, int invalid, List<String> createdNames) {
	}

	/** What creating directory entries should report (R7). */
	record DirectoryCreation(int active, int awaiting, int errors) {
	}

	/** A directory entry's news for an existing directory profile. */
	record DirectoryNews(String area, boolean enabled, boolean gone) {
	}

	private final Map<String, Pool> areas;

	private final Map<Pool, Integer> max = new EnumMap<>(Pool.class);

	/**
	 * How many active profiles each pool may hold: its maximum, or more while a key has
	 * shrunk it below its active count (R14), until block, delete or move bring it back
	 * down.
	 */
	private final Map<Pool, Integer> ceiling = new EnumMap<>(Pool.class);

	private final Map<String, Person> people = new LinkedHashMap<>();

	private long now;

	/** How often each interesting case came up, for the run's statistics. */
	private final Map<String, Integer> cases;

	LedgerModel(Map<String, Pool> areas, int maxUsers, int maxExtranetUsers, Map<String, Integer> cases) {
		this.areas = areas;
		this.cases = cases;
		this.max.put(Pool.PRIMARY, maxUsers);
		this.max.put(Pool.EXTRANET, maxExtranetUsers);
		this.ceiling.putAll(this.max);
	}

	// What the model holds.

	int max(Pool pool) {
		return this.max.get(pool);
	}

	int ceiling(Pool pool) {
		return this.ceiling.get(pool);
	}

	int active(Pool pool) {
		return (int) this.people.values()
			.stream()
			.filter((person) -> person.pool == pool && person.standing == Standing.ACTIVE)
			.count();
	}

	/** Free licences: none while a pool is at or above its maximum. */
	int free(Pool pool) {
		return Math.max(0, max(pool) - active(pool));
	}

	private void seen(String what) {
		this.cases.merge(what, 1, Integer::sum);
	}

	Pool pool(String area) {
		return this.areas.get(area);
	}

	Optional<Person> find(String username) {
		return Optional.ofNullable(this.people.get(Person.key(username)));
	}

	boolean exists(String username) {
		return this.people.containsKey(Person.key(username));
	}

	List<Person> people() {
		return new ArrayList<>(this.people.values());
	}

	/** The profiles that await a licence of the pool, first come first served. */
	List<Person> queue(Pool pool) {
		return this.people.values()
			.stream()
			.filter((person) -> person.pool == pool && person.standing == Standing.AWAITING)
			.sorted(Comparator.comparingLong((Person person) -> person.awaitingSince)
				.thenComparingLong((person) -> person.id))
			.toList();
	}

	/** A new step begins: what starts to wait now waits behind all earlier steps. */
	void step() {
		this.now++;
	}

	/**
	 * After a step: a pool that a key shrank below its active count may hold only as many
	 * as it still holds, or its maximum.
	 */
	void settle() {
		for (Pool pool : Pool.values()) {
			this.ceiling.put(pool, Math.max(max(pool), Math.min(ceiling(pool), active(pool))));
		}
	}

	/** Puts a profile as the database holds it, for a model taken from a database. */
	void put(Person person) {
		this.people.put(person.key(), person);
	}

	// The operations.

	/**
	 * Adds one active profile (an administrator's add, the API, an SSO first sign-in):
	 * refused when its pool is full (R4, R5).
	 */
	Outcome add(String username, String area, ProfileSource source) {
		if (exists(username)) {
			return Outcome.TAKEN;
		}
		Pool pool = pool(area);
		if (free(pool) == 0) {
			seen("add refused");
			return Outcome.REFUSED;
		}
		put(new Person(username, source, area, pool, Standing.ACTIVE, 0));
		return Outcome.DONE;
	}

	/** Blocks by an administrator: always allowed; frees the licence (R9). */
	Outcome block(String username) {
		Person person = this.people.get(Person.key(username));
		if (person == null) {
			return Outcome.MISSING;
		}
		if (person.standing == Standing.ADMINISTRATOR) {
			return Outcome.UNCHANGED;
		}
		person.stand(Standing.ADMINISTRATOR, this.now);
		return Outcome.DONE;
	}

	/**
	 * Reinstates a blocked profile, whatever the reason, if its pool has a free licence.
	 */
	Outcome reinstate(String username) {
		Person person = this.people.get(Person.key(username));
		if (person == null) {
			return Outcome.MISSING;
		}
		if (person.standing == Standing.ACTIVE) {
			return Outcome.UNCHANGED;
		}
		if (free(person.pool) == 0) {
			seen("reinstate refused");
			return Outcome.REFUSED;
		}
		person.stand(Standing.ACTIVE, this.now);
		return Outcome.DONE;
	}

	/**
	 * Moves to another area: an active profile entering another pool needs a free licence
	 * there; leaving a pool, moving within one and moving a blocked profile always work
	 * (R4, R9). An awaiting profile keeps its place, now in the other pool's queue.
	 */
	Outcome move(String username, String area) {
		Person person = this.people.get(Person.key(username));
		if (person == null) {
			return Outcome.MISSING;
		}
		if (person.area.equals(area)) {
			return Outcome.UNCHANGED;
		}
		Pool target = pool(area);
		if (person.standing == Standing.ACTIVE && target != person.pool && free(target) == 0) {
			seen("move refused");
			return Outcome.REFUSED;
		}
		person.area = area;
		person.pool = target;
		return Outcome.DONE;
	}

	/** Deletes: always allowed; frees the licence (R9). */
	Outcome delete(String username) {
		return (this.people.remove(Person.key(username)) != null) ? Outcome.DONE : Outcome.MISSING;
	}

	/**
	 * A CSV upload (R6): rows whose username exists are skipped, a username repeated in
	 * the file is invalid from its second row on. All or nothing: refused whole when a
	 * pool lacks licences for its rows. As many as fit: in file order, per pool, the rows
	 * beyond its free licences are refused.
	 */
	Import importRows(ImportMode mode, List<LedgerSteps.Entry> rows) {
		Set<String> seen = new HashSet<>();
		List<LedgerSteps.Entry> create = new ArrayList<>();
		int exists = 0;
		int invalid = 0;
		for (LedgerSteps.Entry row : rows) {
			if (!seen.add(Person.key(row.username()))) {
				invalid++;
			}
			else if (exists(row.username())) {
				exists++;
			}
			else {
				create.add(row);
			}
		}
		Map<Pool, Integer> needed = new EnumMap<>(Pool.class);
		create.forEach((row) -> needed.merge(pool(row.area()), 1, Integer::sum));
		if (mode == ImportMode.ALL_OR_NOTHING
				&& needed.entrySet().stream().anyMatch((need) -> need.getValue() > free(need.getKey()))) {
			int lacking = needed.entrySet()
				.stream()
				.mapToInt((need) -> Math.max(0, need.getValue() - free(need.getKey())))
				.sum();
			seen("import refused whole");
			return new Import(true, 0, exists, lacking, invalid, List.of());
		}
		Map<Pool, Integer> grant = new EnumMap<>(Pool.class);
		for (Pool pool : Pool.values()) {
			grant.put(pool, free(pool));
		}
		List<String> created = new ArrayList<>();
		int refused = 0;
		for (LedgerSteps.Entry row : create) {
			Pool pool = pool(row.area());
			if (grant.get(pool) > 0) {
				grant.merge(pool, -1, Integer::sum);
				put(new Person(row.username(), ProfileSource.CSV, row.area(), pool, Standing.ACTIVE, 0));
				created.add(row.username());
			}
			else {
				refused++;
			}
		}
		if (refused > 0) {
			seen("import refused rows");
		}
		return new Import(false, created.size(), exists, refused, invalid, created);
	}

	/**
	 * New directory entries (R7): an entry whose username exists, or that repeats an
	 * earlier one, is an error. In each pool, as many as its free licences allow are
	 * active, in order, and the rest await a licence, queued in that order; a pool whose
	 * queue is not empty grants nothing, so that no newcomer overtakes an older awaiting
	 * profile.
	 */
	DirectoryCreation createFromDirectory(List<LedgerSteps.Entry> entries) {
		Set<String> seen = new HashSet<>();
		Map<Pool, List<LedgerSteps.Entry>> byPool = new EnumMap<>(Pool.class);
		int errors = 0;
		for (LedgerSteps.Entry entry : entries) {
			if (exists(entry.username()) || !seen.add(Person.key(entry.username()))) {
				errors++;
			}
			else {
				byPool.computeIfAbsent(pool(entry.area()), (pool) -> new ArrayList<>()).add(entry);
			}
		}
		int active = 0;
		int awaiting = 0;
		for (Pool pool : Pool.values()) {
			List<LedgerSteps.Entry> newcomers = byPool.getOrDefault(pool, List.of());
			int grant = queue(pool).isEmpty() ? Math.min(newcomers.size(), free(pool)) : 0;
			if (!newcomers.isEmpty() && !queue(pool).isEmpty()) {
				seen("directory newcomers behind a queue");
			}
			for (int i = 0; i < newcomers.size(); i++) {
				LedgerSteps.Entry entry = newcomers.get(i);
				Standing standing = (i < grant) ? Standing.ACTIVE : Standing.AWAITING;
				put(new Person(entry.username(), ProfileSource.DIRECTORY, entry.area(), pool, standing, this.now));
			}
			active += grant;
			awaiting += newcomers.size() - grant;
		}
		return new DirectoryCreation(active, awaiting, errors);
	}

	/**
	 * What the directory says of existing directory profiles (R7, R8), applied together:
	 * a profile gone from the directory's scope, or disabled there, is blocked for the
	 * directory (an active one frees its licence); one that comes back awaits a licence
	 * at the end of the queue; a profile blocked by an administrator stays blocked; every
	 * profile takes the area of its entry. An active profile that the directory moves
	 * into another pool keeps being active only as far as that pool has free licences
	 * after the licences that the same change frees (in the order of the profiles' rows);
	 * the others await one.
	 */
	void updateFromDirectory(Map<String, DirectoryNews> news) {
		List<Person> rows = news.keySet()
			.stream()
			.map(this.people::get)
			.filter((person) -> person != null && person.source == ProfileSource.DIRECTORY)
			.sorted(Comparator.comparingLong((Person person) -> person.id))
			.toList();
		Map<Pool, Integer> activeBefore = new EnumMap<>(Pool.class);
		Map<Pool, Integer> released = new EnumMap<>(Pool.class);
		Map<Pool, List<Person>> takers = new EnumMap<>(Pool.class);
		for (Pool pool : Pool.values()) {
			activeBefore.put(pool, active(pool));
		}
		for (Person person : rows) {
			DirectoryNews entry = news.get(person.key());
			Standing from = person.standing;
			Pool fromPool = person.pool;
			Standing to = from;
			boolean holdsPlace = from == Standing.ACTIVE || from == Standing.AWAITING;
			if (entry.gone()) {
				if (holdsPlace) {
					to = Standing.DIRECTORY;
				}
			}
			else {
				if (entry.area() != null) {
					person.area = entry.area();
					person.pool = pool(entry.area());
				}
				if (from == Standing.ADMINISTRATOR) {
					// Stays blocked whatever the directory says.
				}
				else if (!entry.enabled()) {
					if (holdsPlace) {
						to = Standing.DIRECTORY;
					}
				}
				else if (from == Standing.DIRECTORY) {
					seen("directory brings a profile back");
					to = Standing.AWAITING;
				}
			}
			person.stand(to, this.now);
			boolean moves = person.pool != fromPool;
			if (from == Standing.ACTIVE && (to != Standing.ACTIVE || moves)) {
				released.merge(fromPool, 1, Integer::sum);
			}
			if (to == Standing.ACTIVE && moves) {
				takers.computeIfAbsent(person.pool, (pool) -> new ArrayList<>()).add(person);
			}
		}
		for (Map.Entry<Pool, List<Person>> pool : takers.entrySet()) {
			int free = Math.max(0,
					max(pool.getKey()) - (activeBefore.get(pool.getKey()) - released.getOrDefault(pool.getKey(), 0)));
			List<Person> movers = pool.getValue();
			if (free < movers.size()) {
				seen("directory move waits");
			}
			for (Person person : movers.subList(Math.min(free, movers.size()), movers.size())) {
				person.stand(Standing.AWAITING, this.now);
			}
		}
	}

	/**
	 * A sync's activation of the queue (R7): the oldest awaiting profiles from the
	 * directory become active, as far as the pool has free licences.
	 */
	int activateQueue(Pool pool) {
		// One queue for every path.
		List<Person> queue = queue(pool);
		int activated = Math.min(queue.size(), free(pool));
		if (activated > 0 && activated < queue.size()) {
			seen("queue served in part");
		}
		queue.subList(0, activated).forEach((person) -> person.stand(Standing.ACTIVE, this.now));
		return activated;
	}

	/**
	 * A licence key sets both maxima (R14). A pool that it shrinks below its active count
	 * keeps its active profiles; nobody is blocked.
	 */
	void applyKey(int maxUsers, int maxExtranetUsers) {
		this.max.put(Pool.PRIMARY, maxUsers);
		this.max.put(Pool.EXTRANET, maxExtranetUsers);
		for (Pool pool : Pool.values()) {
			if (active(pool) > max(pool)) {
				seen("key shrinks a pool below its active count");
			}
			this.ceiling.put(pool, Math.max(max(pool), active(pool)));
		}
	}

	@Override
	public String toString() {
		StringBuilder out = new StringBuilder();
		for (Pool pool : Pool.values()) {
			out.append(pool).append(": max ").append(max(pool)).append(", active ").append(active(pool)).append('\n');
		}
		this.people.values().forEach((person) -> out.append("  ").append(person).append('\n'));
		return out.toString();
	}

}
