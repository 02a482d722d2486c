package io.seatkeeper.directory;

import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.seatkeeper.directory.DirectorySync.RunInProgress;
import io.seatkeeper.directory.DirectorySync.RunNotWaiting;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.AreaView;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Admin > System > Directory: the settings, "Test connection", "Sync now", the runs with
 * their progress and reports, and the confirmation of a run that stopped.
 */
@Controller
class DirectoryController {

	private static final Logger logger = LoggerFactory.getLogger(DirectoryController.class);

	private static final int RUNS_SHOWN = 10;

	private static final int SAMPLE = 5;

	private final DirectorySettingsStore settings;

	private final DirectorySync sync;

	private final DirectoryRuns runs;

	private final DirectoryReader reader;

	private final AreaService areas;

	private final DirectoryExclusions exclusions;

	DirectoryController(DirectorySettingsStore settings, DirectorySync sync, DirectoryRuns runs, DirectoryReader reader,
			AreaService areas, DirectoryExclusions exclusions) {
		this.settings = settings;
		this.sync = sync;
		this.runs = runs;
		this.reader = reader;
		this.areas = areas;
		this.exclusions = exclusions;
	}

	@GetMapping("/admin/system/directory")
	String initSettingsForm(Model model) {
		DirectorySettings current = this.settings.current();
		model.addAttribute("form", DirectoryForm.of(current));
		return page(current, model);
	}

	@PostMapping("/admin/system/directory")
	String processSettingsForm(@ModelAttribute("form") DirectoryForm form, BindingResult result, Principal principal,
			Model model, RedirectAttributes redirect, HttpServletResponse response) {
		DirectorySettings current = this.settings.current();
		DirectoryFormValidator.validate(form, current.fromConfiguration(), areaIds(), result);
		if (result.hasErrors()) {
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			return page(current, model);
		}
		this.settings.save(form, principal.getName());
		redirect.addFlashAttribute("success", "directory.saved");
		return "redirect:/admin/system/directory";
	}

	@PostMapping("/admin/system/directory/test")
	String testConnection(RedirectAttributes redirect) {
		DirectorySettings current = this.settings.current();
		if (!current.configured()) {
			redirect.addFlashAttribute("failure", "directory.run.notConfigured");
			return "redirect:/admin/system/directory";
		}
		try {
			List<DirectoryRecord> found = this.reader.sample(current);
			String sample = found.stream()
				.limit(SAMPLE)
				.map((entry) -> (entry.username() != null) ? entry.username() : entry.dn())
				.collect(Collectors.joining(", "));
			redirect.addFlashAttribute("success", "directory.test.found");
			redirect.addFlashAttribute("successArgs", new Object[] { found.size(), sample });
		}
		catch (RuntimeException ex) {
			DirectoryFailure failure = DirectoryFailure.of(ex, current);
			logger.info("Directory test connection to {} failed ({}): {}", current.url(), failure.code(),
					ex.toString());
			redirect.addFlashAttribute("failure", failure.code());
			redirect.addFlashAttribute("failureArgs", failure.arguments());
		}
		return "redirect:/admin/system/directory";
	}

	@PostMapping("/admin/system/directory/sync")
	String startSync(Principal principal, @RequestParam(required = false) String mode, RedirectAttributes redirect) {
		String requested = mode(mode);
		if (BAD_MODE.equals(requested)) {
			redirect.addFlashAttribute("failure", "directory.run.badMode");
			redirect.addFlashAttribute("failureArgs", new Object[] { mode });
			return "redirect:/admin/system/directory";
		}
		return this.sync.start(principal.getName(), requested)
			.map((id) -> "redirect:/admin/system/directory/runs/" + id)
			.orElseGet(() -> {
				redirect.addFlashAttribute("failure", "directory.run.busy");
				return "redirect:/admin/system/directory";
			});
	}

	/** What {@link #mode(String)} gives for a value that is neither delta nor full. */
	static final String BAD_MODE = "?";

	/**
	 * The mode asked for: {@code DELTA}, {@code FULL}, null for none (the default), or
	 * {@link #BAD_MODE}.
	 */
	static String mode(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
			case "delta" -> DirectoryRunView.DELTA;
			case "full" -> DirectoryRunView.FULL;
			default -> BAD_MODE;
		};
	}

	@PostMapping("/admin/system/directory/exclusions/remove")
	String removeExclusion(@RequestParam(defaultValue = "") String directoryId, Principal principal,
			RedirectAttributes redirect) {
		if (this.exclusions.remove(directoryId, principal.getName())) {
			redirect.addFlashAttribute("success", "directory.exclusions.removed");
		}
		else {
			redirect.addFlashAttribute("failure", "directory.exclusions.notListed");
		}
		return "redirect:/admin/system/directory";
	}

	@PostMapping("/admin/system/directory/preview")
	String previewSync(Principal principal, Model model, RedirectAttributes redirect) {
		try {
			model.addAttribute("run", this.sync.preview(principal.getName()));
		}
		catch (DirectorySync.RunInProgress ex) {
			redirect.addFlashAttribute("failure", "directory.run.busy");
			return "redirect:/admin/system/directory";
		}
		model.addAttribute("preview", true);
		return "directory/run";
	}

	@GetMapping("/admin/system/directory/runs/{id}")
	String showRun(@PathVariable String id, Model model) {
		model.addAttribute("run", find(id));
		return "directory/run";
	}

	@GetMapping("/admin/system/directory/runs/{id}/progress")
	String showProgress(@PathVariable String id, Model model, HttpServletResponse response) {
		DirectoryRunView run = find(id);
		if (run.finished()) {
			response.setHeader("HX-Redirect", "/admin/system/directory/runs/" + id);
		}
		model.addAttribute("run", run);
		return "directory/run :: bar";
	}

	@PostMapping("/admin/system/directory/runs/{id}/confirm")
	String confirmRun(@PathVariable String id, Principal principal, RedirectAttributes redirect) {
		find(id);
		try {
			this.sync.confirm(id, principal.getName(), false);
		}
		catch (RunNotWaiting ex) {
			redirect.addFlashAttribute("failure", "directory.run.notWaiting");
		}
		catch (RunInProgress ex) {
			redirect.addFlashAttribute("failure", "directory.run.busy");
		}
		return "redirect:/admin/system/directory/runs/" + id;
	}

	private DirectoryRunView find(String id) {
		return this.runs.find(id).orElseThrow(() -> new DirectoryRunNotFound(id));
	}

	private String page(DirectorySettings current, Model model) {
		model.addAttribute("configured", current.fromConfiguration());
		model.addAttribute("passwordStored", current.bindPassword() != null && !current.bindPassword().isEmpty());
		model.addAttribute("areas", this.areas.choices());
		model.addAttribute("runs", this.runs.recent(RUNS_SHOWN));
		model.addAttribute("running", this.runs.running().orElse(null));
		model.addAttribute("exclusions", this.exclusions.list());
		return "directory/settings";
	}

	private Map<String, Long> areaIds() {
		Map<String, Long> ids = new HashMap<>();
		for (AreaView area : this.areas.choices()) {
			ids.put(area.name().toLowerCase(Locale.ROOT), area.id());
		}
		return ids;
	}

}
