package io.seatkeeper.people.web;

import io.seatkeeper.people.NewProfile;
import io.seatkeeper.people.ProfileRules;
import io.seatkeeper.people.ProfileSource;

/**
 * The "add one user" form.
 *
 * @param username the username
 * @param email the e-mail address
 * @param firstName the first name
 * @param lastName the last name
 * @param areaId the area; blank for the Primary Area
 * @param password an optional initial password
 */
record ProfileForm(@ProfileRules.Username String username, @ProfileRules.Email String email,
		@ProfileRules.Name String firstName, @ProfileRules.Name String lastName, Long areaId,
		@ProfileRules.Password String password) {

	static ProfileForm empty() {
		return new ProfileForm("", "", "", "", null, "");
	}

	NewProfile toNewProfile(ProfileSource source) {
		return new NewProfile(this.username, this.email, this.firstName, this.lastName, this.areaId, this.password,
				source);
	}

}
