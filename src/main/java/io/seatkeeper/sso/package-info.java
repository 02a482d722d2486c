/**
 * Signs people in through an OpenID Connect provider and creates the profile of a first
 * sign-in through the licence gate.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Single sign-on")
package io.seatkeeper.sso;
