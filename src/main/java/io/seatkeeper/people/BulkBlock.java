package io.seatkeeper.people;

import io.seatkeeper.license.Pool;

/**
 * What blocking a selection of profiles does, or would do.
 *
 * @param profiles the profiles blocked (those not yet blocked by an administrator; never
 * the built-in administrator)
 * @param freedPrimary licences of the Primary pool freed
 * @param freedExtranet licences of the Extranet pool freed
 */
public record BulkBlock(int profiles, int freedPrimary, int freedExtranet) {

	static BulkBlock none() {
		return new BulkBlock(0, 0, 0);
	}

	/**
	 * All the licences freed.
	 */
	public int freed() {
		return this.freedPrimary + this.freedExtranet;
	}

	BulkBlock plus(Profile profile) {
		if (profile.isBuiltIn() || profile.blockReason() == BlockReason.ADMINISTRATOR) {
			return this;
		}
		boolean frees = profile.usesLicense();
		return new BulkBlock(this.profiles + 1, this.freedPrimary + ((frees && profile.pool() == Pool.PRIMARY) ? 1 : 0),
				this.freedExtranet + ((frees && profile.pool() == Pool.EXTRANET) ? 1 : 0));
	}

	BulkBlock and(BulkBlock other) {
		return new BulkBlock(this.profiles + other.profiles, this.freedPrimary + other.freedPrimary,
				this.freedExtranet + other.freedExtranet);
	}

}
