package io.seatkeeper.system;

import java.security.Principal;

import jakarta.servlet.http.HttpSession;

import io.seatkeeper.people.DormantSignIn;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.sso.SsoSignIn;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The sign-in page, and the home page: one's own profile.
 */
@Controller
class HomeController {

	private final PeopleService people;

	private final SsoSignIn sso;

	private final DormantSignIn dormant;

	HomeController(PeopleService people, SsoSignIn sso, DormantSignIn dormant) {
		this.people = people;
		this.sso = sso;
		this.dormant = dormant;
	}

	/**
	 * The sign-in of a profile that awaits a licence (a dormant profile back while its
	 * pool is full): its place in the queue, as it stands now; active again meanwhile, it
	 * is asked to sign in again.
	 */
	@GetMapping("/login/awaiting")
	String showAwaiting(HttpSession session, Model model) {
		Object username = session.getAttribute(DormantSignIn.AWAITING_SESSION_ATTRIBUTE);
		if (!(username instanceof String name)) {
			return "redirect:/login";
		}
		model.addAttribute("username", name);
		this.dormant.place(name).ifPresent((place) -> model.addAttribute("place", place));
		return "system/awaiting";
	}

	@GetMapping("/login")
	String showLogin(Model model) {
		model.addAttribute("ssoProviders", this.sso.providers());
		model.addAttribute("ssoContact", this.sso.contact());
		return "system/login";
	}

	@GetMapping("/")
	String showHome(Principal principal, Model model) {
		this.people.findByUsername(principal.getName()).ifPresent((profile) -> model.addAttribute("profile", profile));
		return "system/home";
	}

}
