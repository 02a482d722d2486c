package io.seatkeeper.people;

/**
 * A user as a SCIM client wants its profile to be.
 *
 * @param username the username ({@code userName})
 * @param email the e-mail address (the work or primary one)
 * @param firstName the first name ({@code name.givenName})
 * @param lastName the last name ({@code name.familyName})
 * @param externalId the client's own id of the user, or {@code null}
 * @param active whether the client wants it active
 */
public record ProvisionedUser(String username, String email, String firstName, String lastName, String externalId,
		boolean active) {

	/** The longest external id kept. */
	public static final int EXTERNAL_ID_MAX = 255;

}
