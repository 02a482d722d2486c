/**
 * The system around the modules: security, error pages, the home page and the system
 * summary.
 */
@org.springframework.modulith.ApplicationModule(displayName = "System")
package io.seatkeeper.system;
