package io.seatkeeper.people.web;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.LocalDate;

import jakarta.servlet.http.HttpServletResponse;

import io.seatkeeper.people.DormantReport;
import io.seatkeeper.people.InvalidDormantDays;
import io.seatkeeper.people.ReclaimRunNotHeld;
import io.seatkeeper.people.ReclaimRuns;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The reclaim page ({@code /admin/people/dormant}): the dormant report per pool, the
 * first of its profiles, its CSV, the reclaim job's settings and runs, and the
 * confirmation of a held run (sysadmins).
 */
@Controller
class DormantController {

	/** The profiles the page lists; the CSV has them all. */
	static final int LISTED = 100;

	private final DormantReport report;

	private final ReclaimRuns runs;

	DormantController(DormantReport report, ReclaimRuns runs) {
		this.report = report;
		this.runs = runs;
	}

	@GetMapping("/admin/people/dormant")
	String showReport(@RequestParam(name = "days", required = false) String days,
			@RequestParam(name = "after", required = false) String after, Model model, HttpServletResponse response) {
		model.addAttribute("settings", this.runs.settings());
		model.addAttribute("runs", this.runs.recent(10));
		int value;
		try {
			value = DormantReport.days(days);
		}
		catch (InvalidDormantDays refusal) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			model.addAttribute("refusal", refusal);
			model.addAttribute("days", days);
			return "people/dormant";
		}
		Long afterId = null;
		if (after != null && after.strip().matches("[0-9]{1,18}")) {
			afterId = Long.valueOf(after.strip());
		}
		model.addAttribute("days", value);
		model.addAttribute("pools", this.report.pools(value));
		model.addAttribute("page", this.report.page(value, afterId, LISTED));
		return "people/dormant";
	}

	@GetMapping("/admin/people/dormant.csv")
	void downloadReport(@RequestParam(name = "days", required = false) String days, Principal principal,
			HttpServletResponse response) throws IOException {
		download(this.report, DormantReport.days(days), response, "console", principal.getName());
	}

	@PostMapping("/admin/people/dormant/runs/{id}/confirm")
	String confirmRun(@PathVariable long id, Principal principal, RedirectAttributes redirect) {
		try {
			ReclaimRuns.RunView run = this.runs.confirm(id, principal.getName());
			redirect.addFlashAttribute("success", "reclaim.run.confirmed");
			redirect.addFlashAttribute("successArgs", new Object[] { run.reclaimedPrimary(), run.reclaimedExtranet() });
		}
		catch (ReclaimRunNotHeld refusal) {
			redirect.addFlashAttribute("failure", refusal.code());
			redirect.addFlashAttribute("failureArgs", refusal.arguments());
		}
		return "redirect:/admin/people/dormant";
	}

	static void download(DormantReport report, int days, HttpServletResponse response, String channel, String actor)
			throws IOException {
		response.setContentType("text/csv;charset=UTF-8");
		response.setHeader("Content-Disposition",
				"attachment; filename=\"dormant-" + days + "-days-" + LocalDate.now() + ".csv\"");
		Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8),
				64 * 1024);
		report.writeCsv(days, out, channel, actor);
		out.flush();
	}

}
