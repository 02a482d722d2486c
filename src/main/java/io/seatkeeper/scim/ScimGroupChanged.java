package io.seatkeeper.scim;

/**
 * A SCIM client created, changed or deleted a group (published in the change's
 * transaction; the audit log writes it).
 *
 * @param change {@code CREATED}, {@code CHANGED} or {@code DELETED}
 * @param displayName the group's display name (after the change)
 * @param details what changed (members added and removed, a new name), or {@code null}
 * @param actor who did it ({@code token:<name>})
 */
public record ScimGroupChanged(String change, String displayName, String details, String actor) {
}
