package io.seatkeeper.tokens;

/**
 * What a token may do. A request authenticated with a token has the authority
 * {@code SCOPE_<name>} for each of its scopes.
 */
public enum TokenScope {

	/** Provisioning over SCIM 2.0 at {@code /scim/v2}. */
	SCIM,

	/** Reading the API: the licence totals, profiles, the CSV export. */
	API_READ,

	/** Changing profiles through the API (reading too). */
	API_WRITE;

	/**
	 * The Spring Security authority of the scope.
	 */
	public String authority() {
		return "SCOPE_" + name();
	}

}
