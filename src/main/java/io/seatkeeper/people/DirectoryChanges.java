package io.seatkeeper.people;

import java.util.List;

/**
 * What one step of a directory sync changed.
 *
 * @param createdActive new profiles made active
 * @param createdAwaiting new profiles created blocked, awaiting a licence
 * @param activated awaiting profiles made active
 * @param updated profiles whose names, e-mail, username, DN or area changed
 * @param blockedDisabled profiles blocked because the directory disabled them
 * @param blockedRemoved profiles blocked because they left the directory's scope
 * @param moved profiles moved to another area (counted in {@code updated} too)
 * @param errors the entries that could not be applied
 */
public record DirectoryChanges(int createdActive, int createdAwaiting, int activated, int updated, int blockedDisabled,
		int blockedRemoved, int moved, List<DirectoryError> errors) {

	/**
	 * An entry that could not be applied.
	 *
	 * @param dn the entry's distinguished name
	 * @param code the message code of the reason
	 * @param argument the value at fault, if any
	 */
	public record DirectoryError(String dn, String code, String argument) {
	}

	/**
	 * Nothing changed.
	 */
	public static DirectoryChanges none() {
		return new DirectoryChanges(0, 0, 0, 0, 0, 0, 0, List.of());
	}

}
