package io.seatkeeper.people;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Values for an SQL {@code in (…)} list, a thousand at a time: the most a statement takes
 * comfortably on every database.
 */
final class SqlInList {

	static final int SIZE = 1000;

	private SqlInList() {
	}

	/**
	 * The values in lists of at most {@link #SIZE}, in their order.
	 */
	static <T> List<List<T>> chunks(List<T> values) {
		List<List<T>> chunks = new ArrayList<>((values.size() + SIZE - 1) / SIZE);
		for (int from = 0; from < values.size(); from += SIZE) {
			chunks.add(values.subList(from, Math.min(values.size(), from + SIZE)));
		}
		return chunks;
	}

	/**
	 * {@code ?, ?, …}: one placeholder per value.
	 */
	static String placeholders(int count) {
		return String.join(",", Collections.nCopies(count, "?"));
	}

}
