package io.seatkeeper.people;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.seatkeeper.license.Pool;

/**
 * The operations of a model run, as values: each names its people by username, so that a
 * sequence stays meaningful when steps are taken out of it (an operation on a profile
 * that does not exist does nothing). Random sequences, and the shrinking of a failing one
 * to a short sequence that still fails, printed as Java to keep as a regular test.
 */
final class LedgerSteps {

	static final String PRIMARY_AREA = "Primary Area";

	static final String PARTNERS = "Partners";

	static final String SUPPLIERS = "Suppliers";

	static final List<String> AREAS = List.of(PRIMARY_AREA, PARTNERS, SUPPLIERS);

	static final List<String> NAMES = List.of("ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal", "ivy");

	private LedgerSteps() {
	}

	/** A username and an area: one CSV row, one directory entry. */
	record Entry(String username, String area) {

		String java() {
			return "new Entry(" + quote(this.username) + ", " + areaName(this.area) + ")";
		}

	}

	/**
	 * What the directory now says of a directory profile: moved to another area (or
	 * {@code null}: the same), enabled or disabled, or gone from the sync's scope.
	 */
	record News(String username, String area, boolean enabled, boolean gone) {

		String java() {
			return "new News(" + quote(this.username) + ", " + ((this.area != null) ? areaName(this.area) : "null")
					+ ", " + this.enabled + ", " + this.gone + ")";
		}

	}

	/** One operation. */
	sealed interface Step permits Add, SignIn, Import, DirectoryCreate, DirectoryUpdate, DirectoryActivate, Block,
			Reinstate, Move, Delete, Key {

		String java();

		/** Simpler variants of this step, for shrinking. */
		default List<Step> simpler() {
			return List.of();
		}

	}

	/** {@code PeopleService.create}. */
	record Add(String username, String area) implements Step {

		@Override
		public String java() {
			return "new Add(" + quote(this.username) + ", " + areaName(this.area) + ")";
		}

	}

	/** {@code PeopleService.provision}: a first sign-in through single sign-on. */
	record SignIn(String username, String area) implements Step {

		@Override
		public String java() {
			return "new SignIn(" + quote(this.username) + ", " + areaName(this.area) + ")";
		}

	}

	/** {@code ImportService.importNow}. */
	record Import(ImportMode mode, List<Entry> rows) implements Step {

		@Override
		public String java() {
			return "new Import(ImportMode." + this.mode + ", " + list(this.rows, Entry::java) + ")";
		}

		@Override
		public List<Step> simpler() {
			return without(this.rows).stream().<Step>map((rows) -> new Import(this.mode, rows)).toList();
		}

	}

	/** {@code DirectoryAccounts.create}, with the pools that have a queue as full. */
	record DirectoryCreate(List<Entry> entries) implements Step {

		@Override
		public String java() {
			return "new DirectoryCreate(" + list(this.entries, Entry::java) + ")";
		}

		@Override
		public List<Step> simpler() {
			return without(this.entries).stream().<Step>map(DirectoryCreate::new).toList();
		}

	}

	/** {@code DirectoryAccounts.update}. */
	record DirectoryUpdate(List<News> news) implements Step {

		@Override
		public String java() {
			return "new DirectoryUpdate(" + list(this.news, News::java) + ")";
		}

		@Override
		public List<Step> simpler() {
			return without(this.news).stream().<Step>map(DirectoryUpdate::new).toList();
		}

	}

	/** {@code AwaitingQueue.activate}: the one queue, every path. */
	record DirectoryActivate(Pool pool, int chunk) implements Step {

		@Override
		public String java() {
			return "new DirectoryActivate(Pool." + this.pool + ", " + this.chunk + ")";
		}

	}

	/** {@code PeopleService.block}. */
	record Block(String username) implements Step {

		@Override
		public String java() {
			return "new Block(" + quote(this.username) + ")";
		}

	}

	/** {@code PeopleService.reinstate}. */
	record Reinstate(String username) implements Step {

		@Override
		public String java() {
			return "new Reinstate(" + quote(this.username) + ")";
		}

	}

	/** {@code PeopleService.move}. */
	record Move(String username, String area) implements Step {

		@Override
		public String java() {
			return "new Move(" + quote(this.username) + ", " + areaName(this.area) + ")";
		}

	}

	/** {@code PeopleService.delete}. */
	record Delete(String username) implements Step {

		@Override
		public String java() {
			return "new Delete(" + quote(this.username) + ")";
		}

	}

	/** {@code LicenseKeys.apply} with a key signed by the development vendor key. */
	record Key(int maxUsers, int maxExtranetUsers) implements Step {

		@Override
		public String java() {
			return "new Key(" + this.maxUsers + ", " + this.maxExtranetUsers + ")";
		}

	}

	/** A run: the pools' maxima to start from, and the steps. */
	record Sequence(int maxUsers, int maxExtranetUsers, List<Step> steps) {

		static Sequence of(int maxUsers, int maxExtranetUsers, Step... steps) {
			return new Sequence(maxUsers, maxExtranetUsers, List.of(steps));
		}

		String java() {
			return "Sequence.of(" + this.maxUsers + ", " + this.maxExtranetUsers
					+ this.steps.stream().map((step) -> ",\n\t\t\t\t" + step.java()).collect(Collectors.joining())
					+ ")";
		}

	}

	// Generating.

	/**
	 * Random steps, chosen from what the model holds when each is taken (as a stateful
	 * property's actions are): most operations name a profile that exists, and one that
	 * they can change (a reinstatement a blocked profile, the directory a directory
	 * profile, the queue's activation a pool with a queue); creations mostly name someone
	 * new. Creations use the names {@code creatable}: in a concurrent run each thread
	 * creates only its own people, so that two threads never insert the same username. A
	 * sequence, once taken, is replayed as it is, so that it can be shrunk.
	 */
	static final class Generator {

		private final Random random;

		private final List<String> creatable;

		Generator(Random random, List<String> creatable) {
			this.random = random;
			this.creatable = creatable;
		}

		Generator(Random random) {
			this(random, NAMES);
		}

		/** The pools' maxima to start from: small, so that they fill up. */
		int maxUsers() {
			return this.random.nextInt(4);
		}

		int maxExtranetUsers() {
			return this.random.nextInt(3);
		}

		int length(int maxSteps) {
			return 1 + this.random.nextInt(maxSteps);
		}

		List<Step> steps(int count, LedgerModel model) {
			List<Step> steps = new ArrayList<>(count);
			for (int i = 0; i < count; i++) {
				steps.add(step(model));
			}
			return steps;
		}

		Step step(LedgerModel model) {
			// CSV imports and keys cost the most (a job and its report; an Ed25519
			// signature and its check): fewer of them, so that a thousand sequences stay
			// quick.
			int dice = this.random.nextInt(100);
			if (dice < 12) {
				return new Add(newName(model), area());
			}
			if (dice < 18) {
				return new SignIn(newName(model), area());
			}
			if (dice < 22) {
				return new Import(ImportMode.ALL_OR_NOTHING, entries(model));
			}
			if (dice < 26) {
				return new Import(ImportMode.AS_MANY_AS_FIT, entries(model));
			}
			if (dice < 38) {
				return new DirectoryCreate(entries(model));
			}
			if (dice < 50) {
				List<News> news = new ArrayList<>();
				for (int i = 1 + this.random.nextInt(3); i > 0; i--) {
					int kind = this.random.nextInt(10);
					news.add(new News(name(model, (person) -> person.source == ProfileSource.DIRECTORY),
							(kind < 5) ? area() : null, kind != 5 && kind != 6, kind >= 8));
				}
				return new DirectoryUpdate(news);
			}
			if (dice < 60) {
				List<Pool> queued = List.of(Pool.values())
					.stream()
					.filter((pool) -> !model.queue(pool).isEmpty())
					.toList();
				Pool pool = (!queued.isEmpty() && this.random.nextInt(5) > 0)
						? queued.get(this.random.nextInt(queued.size()))
						: this.random.nextBoolean() ? Pool.PRIMARY : Pool.EXTRANET;
				return new DirectoryActivate(pool, 1 + this.random.nextInt(3));
			}
			if (dice < 69) {
				// Mostly an active profile: blocking it frees a licence for the queue.
				return new Block(name(model, (person) -> person.standing == LedgerModel.Standing.ACTIVE));
			}
			if (dice < 79) {
				return new Reinstate(name(model, (person) -> person.standing != LedgerModel.Standing.ACTIVE));
			}
			if (dice < 89) {
				return new Move(name(model, (person) -> true), area());
			}
			if (dice < 94) {
				return new Delete(name(model, (person) -> true));
			}
			return new Key(this.random.nextInt(6), this.random.nextInt(4));
		}

		private List<Entry> entries(LedgerModel model) {
			List<Entry> entries = new ArrayList<>();
			for (int i = 1 + this.random.nextInt(4); i > 0; i--) {
				entries.add(new Entry(newName(model), area()));
			}
			return entries;
		}

		private String area() {
			int dice = this.random.nextInt(10);
			return (dice < 5) ? PRIMARY_AREA : (dice < 8) ? PARTNERS : SUPPLIERS;
		}

		/** Mostly someone who does not exist yet; now and then someone who does. */
		private String newName(LedgerModel model) {
			List<String> fresh = this.creatable.stream().filter((name) -> !model.exists(name)).toList();
			List<String> names = (!fresh.isEmpty() && this.random.nextInt(5) > 0) ? fresh : this.creatable;
			return spelled(names.get(this.random.nextInt(names.size())));
		}

		/** Mostly someone who exists and whom the operation can change. */
		private String name(LedgerModel model, Predicate<LedgerModel.Person> fits) {
			List<String> candidates = model.people().stream().filter(fits).map((person) -> person.username).toList();
			if (!candidates.isEmpty() && this.random.nextInt(5) > 0) {
				return spelled(candidates.get(this.random.nextInt(candidates.size())));
			}
			return spelled(NAMES.get(this.random.nextInt(NAMES.size())));
		}

		/** Usernames are unique ignoring case: now and then one is spelled otherwise. */
		private String spelled(String name) {
			int dice = this.random.nextInt(10);
			if (dice == 0) {
				return name.toUpperCase(Locale.ROOT);
			}
			if (dice == 1) {
				return Character.toUpperCase(name.charAt(0)) + name.substring(1).toLowerCase(Locale.ROOT);
			}
			return name.toLowerCase(Locale.ROOT);
		}

	}

	// Shrinking.

	/**
	 * Makes a failing sequence as short and simple as it can while it still fails the
	 * same way: drops runs of steps, then single list elements, then lowers the maxima.
	 * @param fails runs a sequence and gives back its failure, or {@code null}
	 */
	static Sequence shrink(Sequence failing, Throwable failure, Function<Sequence, Throwable> fails, int budget) {
		Sequence best = failing;
		int runs = 0;
		boolean progress = true;
		while (progress && runs < budget) {
			progress = false;
			List<Sequence> candidates = new ArrayList<>();
			List<Step> steps = best.steps();
			for (int size = Math.max(1, steps.size() / 2); size >= 1; size /= 2) {
				for (int from = 0; from + size <= steps.size(); from += size) {
					List<Step> fewer = new ArrayList<>(steps.subList(0, from));
					fewer.addAll(steps.subList(from + size, steps.size()));
					candidates.add(new Sequence(best.maxUsers(), best.maxExtranetUsers(), fewer));
				}
				if (size == 1) {
					break;
				}
			}
			for (int i = 0; i < steps.size(); i++) {
				for (Step simpler : steps.get(i).simpler()) {
					List<Step> changed = new ArrayList<>(steps);
					changed.set(i, simpler);
					candidates.add(new Sequence(best.maxUsers(), best.maxExtranetUsers(), changed));
				}
			}
			if (best.maxUsers() > 0) {
				candidates.add(new Sequence(best.maxUsers() - 1, best.maxExtranetUsers(), steps));
			}
			if (best.maxExtranetUsers() > 0) {
				candidates.add(new Sequence(best.maxUsers(), best.maxExtranetUsers() - 1, steps));
			}
			for (Sequence candidate : candidates) {
				if (runs++ >= budget) {
					break;
				}
				Throwable again = fails.apply(candidate);
				if (again != null && again.getClass() == failure.getClass()) {
					best = candidate;
					progress = true;
					break;
				}
			}
		}
		return best;
	}

	private static <T> List<List<T>> without(List<T> list) {
		List<List<T>> shorter = new ArrayList<>();
		if (list.size() > 1) {
			for (int i = 0; i < list.size(); i++) {
				List<T> one = new ArrayList<>(list);
				one.remove(i);
				shorter.add(one);
			}
		}
		return shorter;
	}

	private static <T> String list(List<T> values, Function<T, String> java) {
		return "List.of(" + values.stream().map(java).collect(Collectors.joining(", ")) + ")";
	}

	private static String quote(String value) {
		return "\"" + value + "\"";
	}

	private static String areaName(String area) {
		return switch (area) {
			case PRIMARY_AREA -> "PRIMARY_AREA";
			case PARTNERS -> "PARTNERS";
			case SUPPLIERS -> "SUPPLIERS";
			default -> quote(area);
		};
	}

}
