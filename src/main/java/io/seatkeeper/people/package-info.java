/**
 * People: profiles and areas, adding, blocking, reinstating, moving and deleting them
 * through the licence gate, and signing them in.
 */
@org.springframework.modulith.ApplicationModule(displayName = "People")
package io.seatkeeper.people;
