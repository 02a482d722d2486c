package io.seatkeeper.people;

/**
 * The columns a people export can hold, in the order they appear. Their headers come from
 * {@code messages.properties} ({@code export.column.*}).
 */
public enum ExportColumn {

	USERNAME, FIRST_NAME, LAST_NAME, EMAIL, AREA, ACCOUNT_STATE, USES_LICENSE, BLOCKED_REASON, SOURCE, CREATED,
	LAST_SIGN_IN

}
