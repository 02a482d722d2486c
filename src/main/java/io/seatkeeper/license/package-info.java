/**
 * The licence pools and the one gate that decides whether a profile may become active.
 */
@org.springframework.modulith.ApplicationModule(displayName = "License")
package io.seatkeeper.license;
