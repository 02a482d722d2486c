/**
 * The audit log: every licence-relevant event, with actor, time and details, listed and
 * exported for sysadmins.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Audit")
package io.seatkeeper.audit;
