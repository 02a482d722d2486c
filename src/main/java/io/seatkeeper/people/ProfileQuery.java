package io.seatkeeper.people;

/**
 * A page of the people list: a search text, filters and where the page starts.
 *
 * @param text matches the start of the username, e-mail, first name, last name or "first
 * last"; ignored when blank
 * @param areaId only profiles of this area, when not {@code null}
 * @param state only profiles in this state, when not {@code null}
 * @param after the username after which the page starts (keyset paging), or {@code null}
 * for the first page
 * @param size how many profiles a page holds
 */
public record ProfileQuery(String text, Long areaId, StateFilter state, String after, int size) {

	public ProfileQuery {
		size = Math.max(1, Math.min(size, 200));
	}

}
