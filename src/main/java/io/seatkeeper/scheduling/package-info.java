/**
 * Scheduled work once per interval across nodes: each job runs under a lock row of the
 * database (ShedLock), and its last run, node and outcome are kept for the health
 * details.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Scheduling")
package io.seatkeeper.scheduling;
