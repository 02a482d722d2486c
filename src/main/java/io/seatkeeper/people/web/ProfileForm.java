package io.seatkeeper.people.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

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
record ProfileForm(
		@NotBlank @Size(max = ProfileRules.USERNAME_MAX) @Pattern(regexp = ProfileRules.USERNAME_OR_EMPTY,
				message = "{profile.username.invalid}") String username,
		@NotBlank @Size(max = ProfileRules.EMAIL_MAX) @Pattern(regexp = ProfileRules.EMAIL_OR_EMPTY,
				message = "{profile.email.invalid}") String email,
		@NotBlank @Size(max = ProfileRules.NAME_MAX) @Pattern(regexp = ProfileRules.NAME_PATTERN,
				message = "{profile.name.invalid}") String firstName,
		@NotBlank @Size(max = ProfileRules.NAME_MAX) @Pattern(regexp = ProfileRules.NAME_PATTERN,
				message = "{profile.name.invalid}") String lastName,
		Long areaId, @Size(max = ProfileRules.PASSWORD_MAX) @Pattern(regexp = "^$|^.{8,}$",
				message = "{profile.password.invalid}") String password) {

	static ProfileForm empty() {
		return new ProfileForm("", "", "", "", null, "");
	}

	NewProfile toNewProfile(ProfileSource source) {
		return new NewProfile(this.username, this.email, this.firstName, this.lastName, this.areaId, this.password,
				source);
	}

}
