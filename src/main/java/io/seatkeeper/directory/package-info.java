/**
 * Directory: syncs profiles from Active Directory or any LDAP directory through the
 * licence gate, keeps each run's report, and signs directory users in with their
 * directory password.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Directory")
package io.seatkeeper.directory;
