package io.seatkeeper.directory;

import java.util.Set;

/**
 * The settings a run uses: the database's, with each value set by configuration instead.
 *
 * @param url the directory's address
 * @param startTls whether to use StartTLS
 * @param bindDn the bind DN
 * @param bindPassword the bind password (never shown, never logged)
 * @param baseDn the search base
 * @param userFilter the user filter
 * @param usernameAttribute the username attribute
 * @param emailAttribute the e-mail attribute
 * @param firstNameAttribute the first-name attribute
 * @param lastNameAttribute the last-name attribute
 * @param idAttribute the stable-id attribute
 * @param areaMapping the area mapping text
 * @param cron the schedule
 * @param activateWhenFree whether a freed licence activates at once
 * @param maxBlockPercent the share a run may block without confirmation
 * @param fromConfiguration the names of the settings set by configuration
 */
record DirectorySettings(String url, boolean startTls, String bindDn, String bindPassword, String baseDn,
		String userFilter, String usernameAttribute, String emailAttribute, String firstNameAttribute,
		String lastNameAttribute, String idAttribute, String areaMapping, String cron, boolean activateWhenFree,
		int maxBlockPercent, Set<String> fromConfiguration) {

	static final String DEFAULT_FILTER = "(&(objectCategory=person)(objectClass=user))";

	static final String DEFAULT_CRON = "0 0 * * * *";

	static final int DEFAULT_MAX_BLOCK_PERCENT = 10;

	/**
	 * Whether a directory is set up at all.
	 */
	boolean configured() {
		return this.url != null && !this.url.isBlank() && this.baseDn != null && !this.baseDn.isBlank();
	}

	@Override
	public String toString() {
		// The password stays out of every log line.
		return "DirectorySettings[url=" + this.url + ", bindDn=" + this.bindDn + ", baseDn=" + this.baseDn + "]";
	}

}
