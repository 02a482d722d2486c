package io.seatkeeper.sso;

/**
 * One configured OpenID Connect provider, as the sign-in page offers it.
 *
 * @param registrationId its registration id in
 * {@code spring.security.oauth2.client.registration.*}
 * @param name its client name, shown on the button
 * @param path where its button leads: the start of its sign-in
 */
public record SsoProvider(String registrationId, String name, String path) {
}
