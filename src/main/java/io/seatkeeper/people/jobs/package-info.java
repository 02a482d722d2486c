/**
 * The heartbeat of long jobs (CSV uploads, directory runs) and the reaper that fails a
 * job whose node stopped: a named interface of the people module, which the directory
 * module uses for its runs too.
 */
@org.springframework.modulith.NamedInterface("jobs")
package io.seatkeeper.people.jobs;
