package io.seatkeeper.people;

/**
 * An upload that was confirmed already cannot be confirmed again.
 */
public class ImportNotWaiting extends PeopleRefusal {

	public ImportNotWaiting() {
		super("import.notWaiting", "This upload was confirmed already");
	}

}
