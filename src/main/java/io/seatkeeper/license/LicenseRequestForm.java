package io.seatkeeper.license;

/**
 * The licence request form. Plain text fields, so that each bad value is reported by the
 * rule it breaks rather than as a conversion error.
 *
 * @param kind {@code ADD} or {@code MOVE}
 * @param pool the pool that gets the licences
 * @param amount how many
 * @param comment for the vendor
 */
record LicenseRequestForm(String kind, String pool, String amount, String comment) {

	static LicenseRequestForm initial() {
		return new LicenseRequestForm(LicenseRequests.Kind.ADD.name(), Pool.PRIMARY.name(),
				String.valueOf(LicenseRequests.MIN_ADD), "");
	}

}
