package io.seatkeeper.notification;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Admin &gt; System &gt; Mail: the outbox, with each mail's status and the failed
 * attempts with the mail server's answers.
 */
@Controller
class MailOutboxController {

	private final OutboxView outbox;

	private final ResponsiblePerson responsiblePerson;

	MailOutboxController(OutboxView outbox, ResponsiblePerson responsiblePerson) {
		this.outbox = outbox;
		this.responsiblePerson = responsiblePerson;
	}

	@GetMapping("/admin/system/mail")
	String showOutbox(Model model) {
		model.addAttribute("configured", this.responsiblePerson.mailConfigured());
		model.addAttribute("mails", this.outbox.mails());
		model.addAttribute("failures", this.outbox.failures());
		return "notification/mail";
	}

}
