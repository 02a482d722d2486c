package io.seatkeeper.scim;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the SCIM 2.0 endpoint at {@code /scim/v2} provisions profiles.
 *
 * @param whenFull what a create (or an {@code active: true}) does when the pool has no
 * licence free: {@code queue} creates the profile blocked, awaiting a licence, at the end
 * of the pool's queue; {@code refuse} answers 403 and creates nothing
 * @param onDelete what a DELETE of a user does: {@code block} keeps the profile, blocked
 * and hidden from the client; {@code delete} deletes it with all its data
 * @param areas a group's displayName (ignoring case) to the name of the Extranet area its
 * members are placed in; a user in no mapped group is in the Primary Area. Write a name
 * with spaces or dots in brackets: {@code seatkeeper.scim.areas.[Sales Team]=Partners}
 */
@ConfigurationProperties("seatkeeper.scim")
public record ScimProperties(@DefaultValue("queue") WhenFull whenFull, @DefaultValue("block") OnDelete onDelete,
		Map<String, String> areas) {

	public ScimProperties {
		areas = (areas != null) ? new LinkedHashMap<>(areas) : new LinkedHashMap<>();
	}

	/**
	 * Whether a user that should be active waits for a licence when its pool is full.
	 */
	boolean queues() {
		return this.whenFull == WhenFull.QUEUE;
	}

	/**
	 * What a create does when the pool is full.
	 */
	public enum WhenFull {

		/**
		 * Created blocked, awaiting a licence (answered 201 with {@code active: false}).
		 */
		QUEUE,

		/** Refused with 403; nothing is created. */
		REFUSE

	}

	/**
	 * What a DELETE of a user does.
	 */
	public enum OnDelete {

		/** The profile is kept, blocked, and hidden from the client. */
		BLOCK,

		/** The profile is deleted with all its data. */
		DELETE

	}

}
