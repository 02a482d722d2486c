package io.seatkeeper.people;

import io.seatkeeper.license.Pool;

/**
 * An area as pages and other modules see it.
 *
 * @param id its id
 * @param name its name
 * @param kind Primary or Extranet
 * @param profiles how many profiles it holds
 */
public record AreaView(long id, String name, AreaKind kind, long profiles) {

	/**
	 * The pool its active profiles draw from.
	 */
	public Pool pool() {
		return this.kind.pool();
	}

	/**
	 * Whether this is the Primary Area.
	 */
	public boolean primary() {
		return this.kind == AreaKind.PRIMARY;
	}

}
