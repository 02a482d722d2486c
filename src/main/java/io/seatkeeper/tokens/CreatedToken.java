package io.seatkeeper.tokens;

import java.time.LocalDate;
import java.util.Set;

/**
 * A token just created, with its secret: the only time the secret is known.
 */
public record CreatedToken(long id, String name, Set<TokenScope> scopes, LocalDate expiresOn, String token) {

}
