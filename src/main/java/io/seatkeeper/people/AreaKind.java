package io.seatkeeper.people;

import io.seatkeeper.license.Pool;

/**
 * The kind of an area, which decides the pool its active profiles draw from.
 */
public enum AreaKind {

	PRIMARY(Pool.PRIMARY), EXTRANET(Pool.EXTRANET);

	private final Pool pool;

	AreaKind(Pool pool) {
		this.pool = pool;
	}

	/**
	 * The pool whose licences the area's active profiles hold.
	 */
	public Pool pool() {
		return this.pool;
	}

}
