package io.seatkeeper.license;

import java.time.Instant;

/**
 * A profile waiting for one of a pool's licences.
 *
 * @param position its place in the queue, from 1
 * @param id the profile's id
 * @param username its username
 * @param since since when it waits
 * @param source the path it came by ({@code DIRECTORY}, {@code SCIM}, {@code SSO},
 * {@code LOCAL}, {@code CSV})
 */
public record QueuedProfile(int position, long id, String username, Instant since, String source) {
}
