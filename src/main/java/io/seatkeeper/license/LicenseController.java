package io.seatkeeper.license;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Admin &gt; System &gt; License (R10): {@code Max_Users} with its active, available and
 * awaiting counts; "View all" expands to {@code Max_extranet_users}.
 */
@Controller
class LicenseController {

	/** Awaiting profiles listed per pool; the people list shows them all. */
	static final int QUEUE_SHOWN = 20;

	private final LicenseService licenses;

	private final LicenseKeys keys;

	LicenseController(LicenseService licenses, LicenseKeys keys) {
		this.licenses = licenses;
		this.keys = keys;
	}

	@GetMapping("/admin/system/license")
	String showLicense(Model model) {
		model.addAttribute("primary", this.licenses.usage(Pool.PRIMARY));
		model.addAttribute("extranet", this.licenses.usage(Pool.EXTRANET));
		model.addAttribute("primaryQueue", this.licenses.queue(Pool.PRIMARY, QUEUE_SHOWN));
		model.addAttribute("extranetQueue", this.licenses.queue(Pool.EXTRANET, QUEUE_SHOWN));
		model.addAttribute("licenseKey", this.keys.current().orElse(null));
		model.addAttribute("licensee", this.keys.licensee());
		model.addAttribute("keyVerifiable", this.keys.verifiable());
		return "license/license";
	}

}
