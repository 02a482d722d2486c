package io.seatkeeper.notification;

import java.security.Principal;

import io.seatkeeper.license.LicenseService;
import io.seatkeeper.license.Pool;
import io.seatkeeper.notification.NotificationEvents.TestMailSent;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The responsible person form and the test-mail button, on the License page.
 */
@Controller
class ResponsiblePersonController {

	/** Awaiting profiles listed per pool when the License page is shown again. */
	private static final int QUEUE_SHOWN = 20;

	private final ResponsiblePerson responsiblePerson;

	private final LicenseService licenses;

	ResponsiblePersonController(ResponsiblePerson responsiblePerson, LicenseService licenses) {
		this.responsiblePerson = responsiblePerson;
		this.licenses = licenses;
	}

	@PostMapping("/admin/system/license/responsible-person")
	String processResponsiblePersonForm(@RequestParam(name = "email", defaultValue = "") String email,
			Principal principal, Model model, RedirectAttributes redirect, HttpServletResponse response) {
		try {
			String now = this.responsiblePerson.change(email, principal.getName());
			if (now == null) {
				redirect.addFlashAttribute("success", "responsible.removed");
			}
			else {
				redirect.addFlashAttribute("success", "responsible.changed");
				redirect.addFlashAttribute("successArgs", new Object[] { now });
			}
			return "redirect:/admin/system/license";
		}
		catch (InvalidResponsiblePerson ex) {
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			model.addAttribute("responsibleEmail", email.replaceAll("[\\r\\n]", " "));
			model.addAttribute("responsibleError", ex.code());
			model.addAttribute("primary", this.licenses.usage(Pool.PRIMARY));
			model.addAttribute("extranet", this.licenses.usage(Pool.EXTRANET));
			model.addAttribute("primaryQueue", this.licenses.queue(Pool.PRIMARY, QUEUE_SHOWN));
			model.addAttribute("extranetQueue", this.licenses.queue(Pool.EXTRANET, QUEUE_SHOWN));
			return "license/license";
		}
	}

	@PostMapping("/admin/system/license/test-mail")
	String sendTestMail(Principal principal, RedirectAttributes redirect) {
		TestMailSent result = this.responsiblePerson.sendTestMail(principal.getName());
		if (result.accepted()) {
			redirect.addFlashAttribute("success", "mail.test.accepted");
			redirect.addFlashAttribute("successArgs", new Object[] { result.recipient() });
		}
		else if (result.recipient() == null) {
			redirect.addFlashAttribute("failure", "mail.test.noRecipient");
		}
		else if (!this.responsiblePerson.mailConfigured()) {
			redirect.addFlashAttribute("failure", "mail.test.notConfigured");
		}
		else {
			redirect.addFlashAttribute("failure", "mail.test.refused");
			redirect.addFlashAttribute("failureArgs", new Object[] { result.recipient(), result.answer() });
		}
		return "redirect:/admin/system/license";
	}

}
