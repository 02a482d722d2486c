package io.seatkeeper.system;

import io.seatkeeper.directory.DirectoryOverview;
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

	private final DirectoryOverview directory;

	SystemController(LicenseService licenses, PeopleService people, DirectoryOverview directory) {
		this.licenses = licenses;
		this.people = people;
		this.directory = directory;
	}

	@GetMapping("/admin/system")
	String showSummary(Model model) {
		model.addAttribute("pools", this.licenses.usage());
		model.addAttribute("totals", this.people.totals());
		model.addAttribute("lastDirectorySync", this.directory.lastSync().orElse(null));
		model.addAttribute("directoryConfigured", this.directory.configured());
		return "system/summary";
	}

}
