package io.seatkeeper.license;

import java.time.LocalDate;

/**
 * A pool's all-time peak: the most profiles it ever had active at once, and the day it
 * first reached that many.
 *
 * @param pool the pool
 * @param peak the most active profiles at once
 * @param date the first day with that many; {@code null} while nothing was ever active
 */
public record UsagePeak(Pool pool, int peak, LocalDate date) {

}
