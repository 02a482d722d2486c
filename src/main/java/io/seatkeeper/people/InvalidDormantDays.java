package io.seatkeeper.people;

/**
 * The number of days of the dormant report or the reclaim page is not a whole number from
 * 1 to {@link DormantReport#MAX_DAYS}.
 */
public class InvalidDormantDays extends PeopleRefusal {

	public InvalidDormantDays(String days) {
		super("dormant.days.invalid",
				"The number of days is not a whole number from 1 to " + DormantReport.MAX_DAYS + ": " + days,
				DormantReport.MAX_DAYS, (days != null) ? days : "");
	}

	@Override
	public String field() {
		return "days";
	}

}
