package io.seatkeeper.people;

/**
 * How a profile came to exist.
 */
public enum ProfileSource {

	BUILT_IN, LOCAL, API, CSV, DIRECTORY, SSO,

	/** Created by an identity provider through the SCIM 2.0 endpoint. */
	SCIM

}
