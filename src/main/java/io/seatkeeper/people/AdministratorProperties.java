package io.seatkeeper.people;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The built-in administrator.
 *
 * @param password the built-in administrator's password at first start, usually from the
 * environment variable {@code SEATKEEPER_ADMIN_PASSWORD}; when unset, a random one is
 * generated and printed once to the log
 */
@ConfigurationProperties("seatkeeper.admin")
public record AdministratorProperties(String password) {
}
