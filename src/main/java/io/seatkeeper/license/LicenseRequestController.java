package io.seatkeeper.license;

import java.security.Principal;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Admin &gt; System &gt; License &gt; Licence requests (R14): file a request to the
 * vendor, see the requests and their status, withdraw one.
 */
@Controller
class LicenseRequestController {

	private static final String PATH = "/admin/system/license/requests";

	private final LicenseRequests requests;

	private final LicenseService licenses;

	private final LicenseProperties properties;

	LicenseRequestController(LicenseRequests requests, LicenseService licenses, LicenseProperties properties) {
		this.requests = requests;
		this.licenses = licenses;
		this.properties = properties;
	}

	@GetMapping(PATH)
	String initRequestForm(Model model) {
		model.addAttribute("form", LicenseRequestForm.initial());
		return page(model);
	}

	@PostMapping(PATH)
	String processRequestForm(@ModelAttribute("form") LicenseRequestForm form, BindingResult result,
			Principal principal, Model model, RedirectAttributes redirect, HttpServletResponse response) {
		LicenseRequests.Kind kind = parse(LicenseRequests.Kind.class, form.kind());
		Pool pool = parse(Pool.class, form.pool());
		Integer amount = null;
		if (kind == null) {
			result.rejectValue("kind", "license.request.invalid.kind");
		}
		if (pool == null) {
			result.rejectValue("pool", "license.request.invalid.pool");
		}
		try {
			amount = Integer.valueOf((form.amount() != null) ? form.amount().strip() : "");
		}
		catch (NumberFormatException ex) {
			result.rejectValue("amount", "license.request.invalid.amount");
		}
		if (!result.hasErrors()) {
			try {
				LicenseEvents.LicenseRequestFiled filed = this.requests.file(kind, pool, amount, form.comment(),
						principal.getName());
				if (filed.vendorEmail() != null) {
					redirect.addFlashAttribute("success", "license.request.filed.mailed");
					redirect.addFlashAttribute("successArgs", new Object[] { filed.reference(), filed.vendorEmail() });
				}
				else {
					redirect.addFlashAttribute("success", "license.request.filed");
					redirect.addFlashAttribute("successArgs", new Object[] { filed.reference() });
				}
				return "redirect:" + PATH;
			}
			catch (InvalidLicenseRequest refusal) {
				result.rejectValue(refusal.field(), refusal.code(), refusal.arguments(), refusal.code());
			}
		}
		response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
		return page(model);
	}

	@PostMapping(PATH + "/{id}/withdraw")
	String withdrawRequest(@PathVariable long id, Principal principal, RedirectAttributes redirect) {
		try {
			this.requests.withdraw(id, principal.getName());
			redirect.addFlashAttribute("success", "license.request.withdrawn");
			redirect.addFlashAttribute("successArgs", new Object[] { LicenseRequests.reference(id) });
		}
		catch (InvalidLicenseRequest refusal) {
			redirect.addFlashAttribute("failure", refusal.code());
			redirect.addFlashAttribute("failureArgs", refusal.arguments());
		}
		return "redirect:" + PATH;
	}

	private String page(Model model) {
		model.addAttribute("primary", this.licenses.usage(Pool.PRIMARY));
		model.addAttribute("extranet", this.licenses.usage(Pool.EXTRANET));
		model.addAttribute("requests", this.requests.list());
		model.addAttribute("vendorEmail", this.properties.hasVendorEmail() ? this.properties.vendorEmail() : null);
		return "license/requests";
	}

	private static <E extends Enum<E>> E parse(Class<E> type, String value) {
		try {
			return (value != null) ? Enum.valueOf(type, value.strip()) : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
