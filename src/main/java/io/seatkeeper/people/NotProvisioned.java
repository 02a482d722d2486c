package io.seatkeeper.people;

/**
 * The username belongs to a profile that no SCIM client created (added by hand, uploaded,
 * from the directory or single sign-on): a SCIM client cannot take it over.
 */
public class NotProvisioned extends PeopleRefusal {

	public NotProvisioned(String username) {
		super("profile.username.notProvisioned",
				"The username " + username + " belongs to a profile that was not created through SCIM", username);
	}

	@Override
	public String field() {
		return "username";
	}

}
