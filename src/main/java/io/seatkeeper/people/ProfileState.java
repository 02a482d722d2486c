package io.seatkeeper.people;

/**
 * Whether a profile may sign in. Only active profiles use a licence.
 */
public enum ProfileState {

	ACTIVE, BLOCKED

}
