/**
 * Console sessions in the database (Spring Session JDBC), so that any node serves any
 * session: expired ones cleaned once across nodes, and every session of a profile ended
 * when the profile is blocked or deleted.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Sessions")
package io.seatkeeper.session;
