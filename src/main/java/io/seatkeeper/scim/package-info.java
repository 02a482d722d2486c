/**
 * SCIM 2.0 provisioning: identity providers (Entra ID, Okta) create, change, deactivate
 * and delete users and push group memberships at {@code /scim/v2}, through the people
 * module's profile writer and its licence gate.
 */
@org.springframework.modulith.ApplicationModule(displayName = "SCIM provisioning")
package io.seatkeeper.scim;
