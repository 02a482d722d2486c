package io.seatkeeper.people;

/**
 * A CSV file that cannot be read as a people upload at all: nothing in it is imported.
 */
public class ImportFileRejected extends PeopleRefusal {

	public ImportFileRejected(String code, Object... arguments) {
		super(code, "The file cannot be imported (" + code + ")", arguments);
	}

	@Override
	public String field() {
		return "file";
	}

}
