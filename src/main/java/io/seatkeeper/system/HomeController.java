package io.seatkeeper.system;

import java.security.Principal;

import io.seatkeeper.people.PeopleService;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The sign-in page, and the home page: one's own profile.
 */
@Controller
class HomeController {

	private final PeopleService people;

	HomeController(PeopleService people) {
		this.people = people;
	}

	@GetMapping("/login")
	String showLogin() {
		return "system/login";
	}

	@GetMapping("/")
	String showHome(Principal principal, Model model) {
		this.people.findByUsername(principal.getName()).ifPresent((profile) -> model.addAttribute("profile", profile));
		return "system/home";
	}

}
