package io.seatkeeper.people;

/**
 * A queue operation on a profile that does not await a licence (activated or blocked
 * meanwhile, for instance): nothing changed.
 */
public class NotAwaiting extends PeopleRefusal {

	public NotAwaiting(String username) {
		super("queue.notAwaiting", "The profile " + username + " does not await a licence", username);
	}

}
