/**
 * Bearer tokens for machines: SCIM clients and API scripts. A sysadmin creates one with a
 * name, its scopes and an optional expiry, sees its secret once, and may revoke it; the
 * chains that accept tokens call {@link io.seatkeeper.tokens.BearerTokens}. People keep
 * signing in with their passwords.
 */
@org.springframework.modulith.ApplicationModule(displayName = "API tokens")
package io.seatkeeper.tokens;
