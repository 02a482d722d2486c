package io.seatkeeper.license;

/**
 * A licence pool: the Primary pool ({@code Max_Users}) covers the Primary Area, the
 * Extranet pool ({@code Max_extranet_users}) is shared by all Extranet areas. The
 * declaration order is the order in which the gate locks pools.
 */
public enum Pool {

	PRIMARY("Max_Users"), EXTRANET("Max_extranet_users");

	private final String label;

	Pool(String label) {
		this.label = label;
	}

	/**
	 * The name under which the pool's maximum is shown on the License page.
	 */
	public String label() {
		return this.label;
	}

}
