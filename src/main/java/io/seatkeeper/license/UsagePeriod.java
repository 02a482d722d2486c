package io.seatkeeper.license;

import java.time.LocalDate;
import java.time.Year;

/**
 * The days a usage chart or CSV covers: the last 90 days, or one calendar year.
 *
 * @param year the year, or {@code null} for the last 90 days
 */
public record UsagePeriod(Integer year) {

	/** The period the License page shows first. */
	public static final UsagePeriod LAST_90_DAYS = new UsagePeriod(null);

	static final int RECENT_DAYS = 90;

	/**
	 * Reads a period as the page sends it: {@code last90} (or nothing) or a year such as
	 * {@code 2025}.
	 * @throws IllegalArgumentException if it is neither
	 */
	public static UsagePeriod parse(String text) {
		if (text == null || text.isBlank() || "last90".equals(text)) {
			return LAST_90_DAYS;
		}
		if (text.matches("[0-9]{4}")) {
			int year = Integer.parseInt(text);
			if (year >= 2000) {
				return new UsagePeriod(year);
			}
		}
		throw new IllegalArgumentException(text);
	}

	/**
	 * The period's first day.
	 */
	LocalDate from(LocalDate today) {
		return (this.year == null) ? today.minusDays(RECENT_DAYS - 1) : Year.of(this.year).atDay(1);
	}

	/**
	 * The period's last day.
	 */
	LocalDate to(LocalDate today) {
		return (this.year == null) ? today : Year.of(this.year).atMonth(12).atEndOfMonth();
	}

	/**
	 * The period as the page and the file names write it.
	 */
	public String key() {
		return (this.year == null) ? "last90" : String.valueOf(this.year);
	}

}
