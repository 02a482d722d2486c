package io.seatkeeper.people;

/**
 * What it takes to add one profile.
 *
 * @param username the username, unique ignoring case
 * @param email the e-mail address
 * @param firstName the first name
 * @param lastName the last name
 * @param areaId the area, or {@code null} for the Primary Area
 * @param password an initial password, or {@code null} for none
 * @param source how the profile arrives
 */
public record NewProfile(String username, String email, String firstName, String lastName, Long areaId, String password,
		ProfileSource source) {
}
