package io.seatkeeper.people;

/**
 * How a profile came to exist.
 */
public enum ProfileSource {

	BUILT_IN, LOCAL, API, CSV, DIRECTORY, SSO

}
