package io.seatkeeper.people;

/**
 * One directory entry in scope, as the sync wants its profile to be.
 *
 * @param directoryId the directory's stable id of the entry
 * @param dn its distinguished name
 * @param username its username
 * @param email its e-mail address
 * @param firstName its first name
 * @param lastName its last name
 * @param areaId the area its OU or group maps to
 * @param enabled false when the directory disabled the account
 */
public record DirectoryEntry(String directoryId, String dn, String username, String email, String firstName,
		String lastName, long areaId, boolean enabled) {

	/** The longest distinguished name a profile keeps. */
	public static final int DN_MAX = 1000;

	/**
	 * The first problem with the entry's values, as a message code, or {@code null} when
	 * a profile can be made of it.
	 */
	public String problem() {
		if (this.username == null || this.username.isBlank()) {
			return "directory.error.usernameMissing";
		}
		if (!ProfileRules.validUsername(this.username)) {
			return "directory.error.usernameInvalid";
		}
		if (this.email == null || this.email.isBlank()) {
			return "directory.error.emailMissing";
		}
		if (!ProfileRules.validEmail(this.email)) {
			return "directory.error.emailInvalid";
		}
		if (!ProfileRules.validName(this.firstName) || !ProfileRules.validName(this.lastName)) {
			return "directory.error.nameInvalid";
		}
		if (this.dn.length() > DN_MAX) {
			return "directory.error.dnTooLong";
		}
		return null;
	}

}
