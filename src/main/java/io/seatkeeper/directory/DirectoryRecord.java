package io.seatkeeper.directory;

import java.util.List;

/**
 * One entry as the directory returned it, before the mapping.
 *
 * @param dn its distinguished name
 * @param id its stable id as text ({@code objectGUID} as lower-case hex), or {@code null}
 * @param username the username attribute's value
 * @param email the e-mail attribute's value
 * @param firstName the first-name attribute's value
 * @param lastName the last-name attribute's value
 * @param enabled false when {@code userAccountControl} has the disabled bit (2)
 * @param memberOf the DNs of the groups it belongs to
 */
record DirectoryRecord(String dn, String id, String username, String email, String firstName, String lastName,
		boolean enabled, List<String> memberOf) {

}
