package io.seatkeeper.license;

import java.time.LocalDate;

/**
 * One pool's usage on one day.
 *
 * @param date the day
 * @param max the pool's maximum at the day's latest snapshot
 * @param active the active profiles at the day's latest snapshot
 * @param peak the most profiles active at once that day, as the gate counted them
 * @param awaiting the profiles awaiting a licence at the day's latest snapshot
 */
public record UsageDay(LocalDate date, int max, int active, int peak, int awaiting) {

}
