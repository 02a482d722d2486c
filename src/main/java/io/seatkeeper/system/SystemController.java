package io.seatkeeper.system;

import io.seatkeeper.license.LicenseService;
import io.seatkeeper.people.PeopleService;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Admin &gt; System: the system summary (R11).
 */
@Controller
class SystemController {

	private final LicenseService licenses;

	private final PeopleService people;

	SystemController(LicenseService licenses, PeopleService people) {
		this.licenses = licenses;
		this.people = people;
	}

	@GetMapping("/admin/system")
	String showSummary(Model model) {
		model.addAttribute("pools", this.licenses.usage());
		model.addAttribute("totals", this.people.totals());
		// The last directory sync's outcome ("lastDirectorySync") belongs here, once the
		// directory sync exists; the summary template has its place.
		return "system/summary";
	}

}
