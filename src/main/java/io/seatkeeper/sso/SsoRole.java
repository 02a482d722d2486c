package io.seatkeeper.sso;

/**
 * A Seatkeeper role that a value of a provider's role claim can give
 * ({@code seatkeeper.sso.roles.<value>}).
 */
enum SsoRole {

	/** The System panel. */
	SYSADMIN,

	/** People: find, add, block, reinstate, move, delete. */
	PEOPLE_ADMIN

}
