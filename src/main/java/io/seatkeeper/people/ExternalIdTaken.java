package io.seatkeeper.people;

/**
 * Another provisioned profile already has the external id.
 */
public class ExternalIdTaken extends PeopleRefusal {

	public ExternalIdTaken(String externalId) {
		super("profile.externalId.taken", "The externalId " + externalId + " is already taken", externalId);
	}

	@Override
	public String field() {
		return "externalId";
	}

}
