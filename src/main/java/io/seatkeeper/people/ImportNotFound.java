package io.seatkeeper.people;

/**
 * No upload has the id asked for.
 */
public class ImportNotFound extends PeopleRefusal {

	public ImportNotFound(String id) {
		super("import.notFound", "No upload has id " + id, id);
	}

}
