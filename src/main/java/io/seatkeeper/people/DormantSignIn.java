package io.seatkeeper.people;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

import io.seatkeeper.license.LicenseService;
import io.seatkeeper.license.Pool;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A profile that the reclaim job blocked comes back by signing in (password, directory or
 * single sign-on), once its password or identity is checked: through the gate
 * ({@link ProfileLedger}, the pool's row locked) it is active again when its pool has a
 * licence free; otherwise it awaits one from the moment of the sign-in, in the one queue
 * of its pool, and the sign-in says so with its place.
 */
@Service
public class DormantSignIn {

	/**
	 * The session attribute that names the profile whose sign-in is waiting for a
	 * licence, for the page that shows its place.
	 */
	public static final String AWAITING_SESSION_ATTRIBUTE = DormantSignIn.class.getName() + ".AWAITING";

	private final Profiles profiles;

	private final ProfileLedger ledger;

	private final TransactionTemplate transactions;

	private final AwaitingQueue queue;

	private final LicenseService licenses;

	DormantSignIn(Profiles profiles, ProfileLedger ledger, TransactionTemplate transactions, AwaitingQueue queue,
			LicenseService licenses) {
		this.profiles = profiles;
		this.ledger = ledger;
		this.transactions = transactions;
		this.queue = queue;
		this.licenses = licenses;
	}

	/**
	 * The profile of that username signed in with the right password or identity while
	 * blocked: a dormant profile is made active if a licence is free, and the sign-in
	 * goes on; one that awaits a licence (now, or already) is refused with its place.
	 * @return {@code true} when the profile is active now (the sign-in goes on),
	 * {@code false} when it is blocked for another reason (the sign-in is refused as
	 * blocked)
	 * @throws AwaitingLicense when the profile awaits a licence of its pool
	 */
	public boolean comeBack(String username) {
		String key = Profile.usernameKey(username);
		Optional<Profile> found = this.profiles.findByUsernameKey(key);
		if (found.isEmpty()) {
			return false;
		}
		Long id = found.get().id();
		Boolean active = this.transactions.execute((status) -> {
			Profile profile = this.profiles.lockProfile(id).orElse(null);
			if (profile == null) {
				return false;
			}
			if (profile.isActive()) {
				return true;
			}
			if (profile.blockReason() != BlockReason.DORMANT) {
				return false;
			}
			// First come, first served: behind those that already wait.
			boolean behind = this.queue.countAwaiting(profile.pool()) > 0;
			return this.ledger.returnFromDormancy(profile, Instant.now(), behind, profile.username());
		});
		if (Boolean.TRUE.equals(active)) {
			return true;
		}
		Optional<Profile> waiting = this.profiles.findByUsernameKey(key).filter((p) -> p.standing().isAwaiting());
		if (waiting.isPresent() && this.licenses.available(waiting.get().pool()) > 0) {
			// Queued behind older ones while licences are free: the queue moves, oldest
			// first, and this profile may be among those it lets in.
			this.queue.activate(waiting.get().pool(), 1000, username);
			if (this.profiles.findByUsernameKey(key).map(Profile::isActive).orElse(false)) {
				return true;
			}
		}
		Optional<Place> place = place(username);
		if (place.isPresent()) {
			throw new AwaitingLicense(place.get().username(), place.get().pool(), place.get().position());
		}
		return false;
	}

	/**
	 * Where the profile of that username stands in its pool's queue, if it awaits a
	 * licence: 1 and the number of the pool's profiles that await one since earlier
	 * (every path; the same order as the queue's activation, oldest first).
	 */
	public Optional<Place> place(String username) {
		if (username == null) {
			return Optional.empty();
		}
		return this.transactions.execute((status) -> this.profiles.findByUsernameKey(Profile.usernameKey(username))
			.filter((profile) -> profile.standing().isAwaiting())
			.flatMap((profile) -> {
				OptionalInt position = this.queue.position(profile.id());
				return position.isPresent() ? Optional.of(new Place(profile.username(), profile.pool(),
						position.getAsInt(), profile.standing().awaitingSince())) : Optional.empty();
			}));
	}

	/**
	 * A profile's place in its pool's queue.
	 *
	 * @param position 1 for the first to be activated
	 * @param since since when it awaits a licence
	 */
	public record Place(String username, Pool pool, long position, Instant since) {
	}

}
