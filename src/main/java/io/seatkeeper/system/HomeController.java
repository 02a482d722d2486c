package io.seatkeeper.system;

import java.security.Principal;

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

	HomeController(PeopleService people, SsoSignIn sso) {
		this.people = people;
		this.sso = sso;
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
