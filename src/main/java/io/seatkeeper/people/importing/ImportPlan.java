package io.seatkeeper.people.importing;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.seatkeeper.license.Pool;
import io.seatkeeper.people.ImportOutcome;

/**
 * The rows of an upload with their outcomes, and what each pool needs and has free.
 *
 * @param rows every data row, in file order
 * @param needs per pool, the licences the new rows need and the licences free
 */
public record ImportPlan(List<ImportRow> rows, List<PoolNeed> needs) {

	/**
	 * What one pool needs for an upload.
	 *
	 * @param pool the pool
	 * @param needed licences the new rows of the file need
	 * @param free licences free now
	 */
	public record PoolNeed(Pool pool, int needed, int free) {

		/**
		 * Whether the pool can take every new row.
		 */
		public boolean fits() {
			return this.needed <= this.free;
		}

	}

	/**
	 * How many rows have the outcome.
	 */
	public long count(ImportOutcome outcome) {
		return this.rows.stream().filter((row) -> row.outcome() == outcome).count();
	}

	/**
	 * Whether every pool can take all its new rows.
	 */
	public boolean fits() {
		return this.needs.stream().allMatch(PoolNeed::fits);
	}

	/**
	 * Rows with the outcome, at most {@code limit}, for a page.
	 */
	public List<ImportRow> rows(ImportOutcome outcome, int limit) {
		return this.rows.stream().filter((row) -> row.outcome() == outcome).limit(limit).toList();
	}

	/**
	 * Marks the new rows beyond what each pool grants as {@code refusal}, in file order,
	 * and the others as {@code accepted}.
	 */
	public static List<ImportRow> allot(List<ImportRow> rows, Map<Pool, Integer> granted, ImportOutcome accepted,
			ImportOutcome refusal) {
		Map<Pool, Integer> left = new EnumMap<>(granted);
		List<ImportRow> result = new ArrayList<>(rows.size());
		for (ImportRow row : rows) {
			if (row.outcome() != ImportOutcome.CREATE) {
				result.add(row);
				continue;
			}
			int remaining = left.getOrDefault(row.pool(), 0);
			if (remaining > 0) {
				left.put(row.pool(), remaining - 1);
				result.add(row.with(accepted, null));
			}
			else {
				result.add(row.with(refusal, "import.row.noLicense", row.pool().label()));
			}
		}
		return result;
	}

}
