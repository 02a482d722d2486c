package io.seatkeeper.people;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
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

	/** {@code DirectoryAccounts.activateAwaiting}. */
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
	 * Random steps. Creations use the names {@code creatable}, everything else any name:
	 * in a concurrent run each thread creates only its own people, so that two threads
	 * never insert the same username.
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

		Sequence sequence(int maxSteps) {
			return new Sequence(this.random.nextInt(5), this.random.nextInt(4),
					steps(1 + this.random.nextInt(maxSteps)));
		}

		List<Step> steps(int count) {
			List<Step> steps = new ArrayList<>(count);
			for (int i = 0; i < count; i++) {
				steps.add(step());
			}
			return steps;
		}

		Step step() {
			// CSV imports and keys cost the most (a job and its report; an Ed25519
			// signature and its check): fewer of them, so that a thousand sequences stay
			// quick.
			int dice = this.random.nextInt(100);
			if (dice < 14) {
				return new Add(newName(), area());
			}
			if (dice < 21) {
				return new SignIn(newName(), area());
			}
			if (dice < 25) {
				return new Import(ImportMode.ALL_OR_NOTHING, entries());
			}
			if (dice < 29) {
				return new Import(ImportMode.AS_MANY_AS_FIT, entries());
			}
			if (dice < 41) {
				return new DirectoryCreate(entries());
			}
			if (dice < 52) {
				List<News> news = new ArrayList<>();
				for (int i = 1 + this.random.nextInt(3); i > 0; i--) {
					int kind = this.random.nextInt(10);
					news.add(new News(name(), (kind < 5) ? area() : null, kind != 5 && kind != 6, kind >= 8));
				}
				return new DirectoryUpdate(news);
			}
			if (dice < 60) {
				return new DirectoryActivate(this.random.nextBoolean() ? Pool.PRIMARY : Pool.EXTRANET,
						1 + this.random.nextInt(3));
			}
			if (dice < 70) {
				return new Block(name());
			}
			if (dice < 80) {
				return new Reinstate(name());
			}
			if (dice < 90) {
				return new Move(name(), area());
			}
			if (dice < 95) {
				return new Delete(name());
			}
			return new Key(this.random.nextInt(6), this.random.nextInt(4));
		}

		private List<Entry> entries() {
			List<Entry> entries = new ArrayList<>();
			for (int i = 1 + this.random.nextInt(4); i > 0; i--) {
				entries.add(new Entry(newName(), area()));
			}
			return entries;
		}

		private String area() {
			int dice = this.random.nextInt(10);
			return (dice < 5) ? PRIMARY_AREA : (dice < 8) ? PARTNERS : SUPPLIERS;
		}

		private String newName() {
			return spelled(this.creatable.get(this.random.nextInt(this.creatable.size())));
		}

		private String name() {
			return spelled(NAMES.get(this.random.nextInt(NAMES.size())));
		}

		/** Usernames are unique ignoring case: now and then one is spelled otherwise. */
		private String spelled(String name) {
			int dice = this.random.nextInt(10);
			if (dice == 0) {
				return name.toUpperCase(Locale.ROOT);
			}
			if (dice == 1) {
				return Character.toUpperCase(name.charAt(0)) + name.substring(1);
			}
			return name;
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
