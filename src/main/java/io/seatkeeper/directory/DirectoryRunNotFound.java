package io.seatkeeper.directory;

/**
 * No directory sync run has this id.
 */
public class DirectoryRunNotFound extends RuntimeException {

	public DirectoryRunNotFound(String id) {
		super("No directory run " + id);
	}

}
