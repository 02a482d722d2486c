package io.seatkeeper.people;

/**
 * A page of the people list: a search text, filters and where the page starts.
 *
 * @param text matches the start of the username, e-mail, first name, last name or "first
 * last"; ignored when blank
 * @param areaId only profiles of this area, when not {@code null}
 * @param state only profiles in this state, when not {@code null}
 * @param dormantDays only profiles with no sign-in for this many days (never signed in
 * and created before then, or last signed in before then), when not {@code null}
 * @param after the username after which the page starts (keyset paging), or {@code null}
 * for the first page
 * @param size how many profiles a page holds
 */
public record ProfileQuery(String text, Long areaId, StateFilter state, Integer dormantDays, String after, int size) {

	/**
	 * The longest dormancy a filter may ask for, in days (a hundred years): the moment it
	 * reaches back to stays within every database's timestamps.
	 */
	public static final int MAX_DORMANT_DAYS = 36_500;

	public ProfileQuery {
		size = Math.max(1, Math.min(size, 200));
		dormantDays = (dormantDays != null && dormantDays > 0) ? Math.min(dormantDays, MAX_DORMANT_DAYS) : null;
	}

	/**
	 * A page without the dormancy filter.
	 */
	public ProfileQuery(String text, Long areaId, StateFilter state, String after, int size) {
		this(text, areaId, state, null, after, size);
	}

	/**
	 * The same filters, from the first page on.
	 */
	public ProfileQuery firstPage() {
		return new ProfileQuery(this.text, this.areaId, this.state, this.dormantDays, null, this.size);
	}

}
