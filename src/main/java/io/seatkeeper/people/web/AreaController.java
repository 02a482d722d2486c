package io.seatkeeper.people.web;

import java.security.Principal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.AreaView;
import io.seatkeeper.people.PeopleRefusal;
import io.seatkeeper.people.ProfileRules;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Admin &gt; System &gt; Areas: the Primary Area and the Extranet areas.
 */
@Controller
class AreaController {

	private final AreaService areas;

	AreaController(AreaService areas) {
		this.areas = areas;
	}

	@GetMapping("/admin/system/areas")
	String showAreas(Model model) {
		model.addAttribute("areas", this.areas.list());
		if (!model.containsAttribute("form")) {
			model.addAttribute("form", new AreaForm(""));
		}
		return "people/areas";
	}

	@PostMapping("/admin/system/areas")
	String processCreationForm(@Valid @ModelAttribute("form") AreaForm form, BindingResult result, Principal principal,
			Model model, RedirectAttributes redirect) {
		if (!result.hasErrors()) {
			try {
				AreaView area = this.areas.createExtranet(form.name(), principal.getName());
				redirect.addFlashAttribute("success", "area.created");
				redirect.addFlashAttribute("successArgs", new Object[] { area.name() });
				return "redirect:/admin/system/areas";
			}
			catch (PeopleRefusal refusal) {
				result.rejectValue("name", refusal.code(), refusal.arguments(), refusal.getMessage());
			}
		}
		model.addAttribute("areas", this.areas.list());
		return "people/areas";
	}

	@GetMapping("/admin/system/areas/{id}")
	String initRenameForm(@PathVariable long id, Model model) {
		AreaView area = this.areas.get(id);
		model.addAttribute("area", area);
		model.addAttribute("form", new AreaForm(area.name()));
		return "people/area";
	}

	@PostMapping("/admin/system/areas/{id}")
	String processRenameForm(@PathVariable long id, @Valid @ModelAttribute("form") AreaForm form, BindingResult result,
			Principal principal, Model model, RedirectAttributes redirect) {
		AreaView area = this.areas.get(id);
		if (!result.hasErrors()) {
			try {
				AreaView renamed = this.areas.rename(id, form.name(), principal.getName());
				redirect.addFlashAttribute("success", "area.renamed");
				redirect.addFlashAttribute("successArgs", new Object[] { renamed.name() });
				return "redirect:/admin/system/areas";
			}
			catch (PeopleRefusal refusal) {
				result.rejectValue("name", refusal.code(), refusal.arguments(), refusal.getMessage());
			}
		}
		model.addAttribute("area", area);
		return "people/area";
	}

	@PostMapping("/admin/system/areas/{id}/delete")
	String delete(@PathVariable long id, Principal principal, RedirectAttributes redirect) {
		AreaView area = this.areas.get(id);
		try {
			this.areas.delete(id, principal.getName());
			redirect.addFlashAttribute("success", "area.deleted");
			redirect.addFlashAttribute("successArgs", new Object[] { area.name() });
		}
		catch (PeopleRefusal refusal) {
			redirect.addFlashAttribute("failure", refusal.code());
			redirect.addFlashAttribute("failureArgs", refusal.arguments());
		}
		return "redirect:/admin/system/areas";
	}

	/**
	 * The name of an Extranet area.
	 *
	 * @param name the name
	 */
	record AreaForm(@NotBlank @Size(max = ProfileRules.AREA_NAME_MAX) @Pattern(regexp = ProfileRules.NAME_PATTERN,
			message = "{profile.name.invalid}") String name) {
	}

}
