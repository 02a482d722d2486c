package io.seatkeeper.people;

/**
 * What a CSV upload does when the pools cannot take every new profile.
 */
public enum ImportMode {

	/** Import every valid new row, or none of them (the default). */
	ALL_OR_NOTHING,
	/** Import as many rows as the free licences allow, in file order; refuse the rest. */
	AS_MANY_AS_FIT

}
