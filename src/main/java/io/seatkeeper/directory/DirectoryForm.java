package io.seatkeeper.directory;

/**
 * The directory settings form. The bind password is never sent back to the page: left
 * empty, the stored one is kept.
 *
 * @param url the directory's address
 * @param startTls whether to use StartTLS
 * @param bindDn the bind DN
 * @param bindPassword a new bind password, or empty to keep the stored one
 * @param baseDn the search base
 * @param userFilter the user filter
 * @param usernameAttribute the username attribute
 * @param emailAttribute the e-mail attribute
 * @param firstNameAttribute the first-name attribute
 * @param lastNameAttribute the last-name attribute
 * @param idAttribute the stable-id attribute
 * @param areaMapping the area mapping, one {@code DN -> area name} per line
 * @param cron the schedule
 * @param activateWhenFree whether a freed licence activates at once
 * @param maxBlockPercent the share a run may block without confirmation
 */
record DirectoryForm(String url, Boolean startTls, String bindDn, String bindPassword, String baseDn, String userFilter,
		String usernameAttribute, String emailAttribute, String firstNameAttribute, String lastNameAttribute,
		String idAttribute, String areaMapping, String cron, Boolean activateWhenFree, Integer maxBlockPercent) {

	static DirectoryForm of(DirectorySettings settings) {
		return new DirectoryForm(settings.url(), settings.startTls(), settings.bindDn(), "", settings.baseDn(),
				settings.userFilter(), settings.usernameAttribute(), settings.emailAttribute(),
				settings.firstNameAttribute(), settings.lastNameAttribute(), settings.idAttribute(),
				settings.areaMapping(), settings.cron(), settings.activateWhenFree(), settings.maxBlockPercent());
	}

	public boolean isStartTls() {
		return Boolean.TRUE.equals(this.startTls);
	}

	public boolean isActivateWhenFree() {
		return Boolean.TRUE.equals(this.activateWhenFree);
	}

}
