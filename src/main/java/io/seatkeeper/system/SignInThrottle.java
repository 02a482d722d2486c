package io.seatkeeper.system;

import java.time.Instant;
import java.util.Optional;

import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.SignInAliases;
import io.seatkeeper.people.ProfileSource;
import io.seatkeeper.people.ProfileView;
import io.seatkeeper.people.ProfileRules;
import io.seatkeeper.system.SignInEvents.SignInFailed;
import io.seatkeeper.system.SignInEvents.SignInThrottled;
import io.seatkeeper.system.SignInFailures.Key;
import io.seatkeeper.system.SignInFailures.Kind;
import io.seatkeeper.system.SignInFailures.Standing;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Throttles password sign-ins (the form, HTTP Basic, and the directory's bind alike): an
 * account or an address that failed {@code max-failures} times within the window is
 * refused for {@code lock-for}, before its password is checked, so that a locked account
 * cannot be probed. Unknown usernames are counted like known ones, so the refusal says
 * nothing about whether an account exists. The built-in administrator's account lock does
 * not hold at an address that has not failed lately, so that an attacker elsewhere cannot
 * keep the administrator out; its address lock holds as for everyone.
 */
@Component
class SignInThrottle {

	private final SignInFailures failures;

	private final PeopleService people;

	private final ApplicationEventPublisher events;

	private final SignInAliases aliases;

	SignInThrottle(SignInFailures failures, PeopleService people, ApplicationEventPublisher events,
			ObjectProvider<SignInAliases> aliases) {
		this.aliases = aliases.getIfAvailable(() -> (name) -> name);
		this.failures = failures;
		this.people = people;
		this.events = events;
	}

	/**
	 * The sign-in, with the throttle before it and the counting after it.
	 */
	AuthenticationManager guard(AuthenticationManager signIn) {
		return (authentication) -> {
			if (!(authentication instanceof UsernamePasswordAuthenticationToken) || authentication.getName() == null) {
				return signIn.authenticate(authentication);
			}
			// Every name of one account counts as that account (a directory user's UPN).
			String username = this.aliases.username(authentication.getName());
			String address = address(authentication);
			String way = way();
			refuseIfThrottled(username, address, way);
			Authentication result;
			try {
				result = signIn.authenticate(authentication);
			}
			catch (BadCredentialsException ex) {
				failed(username, address, way);
				throw ex;
			}
			this.failures.reset(account(username), Instant.now());
			return result;
		};
	}

	/**
	 * Throws {@link TooManyFailedSignIns} (and audits it) when the account or the address
	 * is locked.
	 */
	void refuseIfThrottled(String name, String address, String way) {
		String username = this.aliases.username(name);
		Instant now = Instant.now();
		Standing standing = this.failures.standing(account(username), address(address), now);
		Instant until = null;
		if (standing.address().lockedAt(now)) {
			until = standing.address().lockedUntil();
		}
		if (standing.account().lockedAt(now) && (standing.addressFailed() || !builtIn(username))) {
			until = later(until, standing.account().lockedUntil());
		}
		if (until != null) {
			this.events.publishEvent(new SignInThrottled(username, address, way, until));
			throw new TooManyFailedSignIns(until);
		}
	}

	private void failed(String username, String address, String way) {
		Instant now = Instant.now();
		Optional<Instant> accountLocked = this.failures.fail(account(username), now);
		Optional<Instant> addressLocked = this.failures.fail(address(address), now);
		Optional<ProfileView> profile = this.people.findByUsername(username);
		String how = profile.filter((found) -> found.source() == ProfileSource.DIRECTORY).isPresent() ? "directory"
				: way;
		this.events
			.publishEvent(new SignInFailed(username, address, how, accountLocked.or(() -> addressLocked).orElse(null)));
	}

	private boolean builtIn(String username) {
		return this.people.findByUsername(username).map(ProfileView::builtIn).orElse(false);
	}

	private static Instant later(Instant one, Instant other) {
		return (one == null || other.isAfter(one)) ? other : one;
	}

	private static Key account(String username) {
		return new Key(Kind.ACCOUNT, ProfileRules.key(username));
	}

	private static Key address(String address) {
		return new Key(Kind.ADDRESS, address);
	}

	private static String address(Authentication authentication) {
		if (authentication.getDetails() instanceof WebAuthenticationDetails details
				&& details.getRemoteAddress() != null) {
			return details.getRemoteAddress();
		}
		HttpServletRequest request = request();
		return (request != null && request.getRemoteAddr() != null) ? request.getRemoteAddr() : "unknown";
	}

	private static String way() {
		HttpServletRequest request = request();
		if (request == null) {
			return "unknown";
		}
		String authorization = request.getHeader("Authorization");
		return (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) ? "basic" : "form";
	}

	private static HttpServletRequest request() {
		return (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
				? attributes.getRequest() : null;
	}

}
