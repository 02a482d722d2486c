package io.seatkeeper.system;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Tells the sign-in page how long a throttled sign-in is refused, in minutes when the
 * setting is whole minutes, in seconds otherwise.
 */
@ControllerAdvice(assignableTypes = HomeController.class)
class SignInPageAdvice {

	private final SignInProperties properties;

	SignInPageAdvice(SignInProperties properties) {
		this.properties = properties;
	}

	@ModelAttribute
	void lockFor(Model model) {
		long seconds = Math.max(1, this.properties.lockFor().toSeconds());
		boolean minutes = seconds % 60 == 0;
		model.addAttribute("throttledMessage", minutes ? "login.throttled.minutes" : "login.throttled.seconds");
		model.addAttribute("throttledFor", minutes ? seconds / 60 : seconds);
	}

}
