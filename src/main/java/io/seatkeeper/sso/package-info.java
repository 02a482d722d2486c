/**
 * Signs people in through an OpenID Connect provider (and out of it), creates the profile
 * of a first sign-in through the licence gate, and keeps profiles true to the provider's
 * claims at each sign-in.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Single sign-on")
package io.seatkeeper.sso;
