package io.seatkeeper.people;

/**
 * Cells that a spreadsheet opens safely.
 */
public final class SpreadsheetCells {

	private SpreadsheetCells() {
	}

	/**
	 * A value that a spreadsheet would run as a formula (it begins with {@code =},
	 * {@code +}, {@code -}, {@code @}, a tab or a carriage return) gets a leading
	 * apostrophe, which Excel and LibreOffice show as text; any other value is returned
	 * as it is.
	 */
	public static String neutralise(String value) {
		if (value == null || value.isEmpty()) {
			return value;
		}
		char first = value.charAt(0);
		return (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r')
				? "'" + value : value;
	}

}
