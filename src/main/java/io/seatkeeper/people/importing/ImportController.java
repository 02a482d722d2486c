package io.seatkeeper.people.importing;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.seatkeeper.people.ImportFileRejected;
import io.seatkeeper.people.ImportJobView;
import io.seatkeeper.people.ImportMode;
import io.seatkeeper.people.ImportNotFound;
import io.seatkeeper.people.ImportNotWaiting;
import io.seatkeeper.people.ImportOutcome;
import io.seatkeeper.people.ImportProperties;
import io.seatkeeper.people.ImportService;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * People upload (R6): choose a file, read its preview, confirm, watch the progress bar,
 * and keep the report.
 */
@Controller
class ImportController {

	private static final int PREVIEW_ROWS = 200;

	private static final int REPORT_ROWS = 1000;

	private final ImportService imports;

	private final ImportProperties properties;

	ImportController(ImportService imports, ImportProperties properties) {
		this.imports = imports;
		this.properties = properties;
	}

	@GetMapping("/admin/people/import")
	String initUploadForm(Model model) {
		model.addAttribute("recent", this.imports.recent());
		model.addAttribute("maxSize", this.properties.maxFileSizeText());
		return "people/import";
	}

	@PostMapping("/admin/people/import")
	String processUploadForm(@RequestParam(name = "file", required = false) MultipartFile file, Principal principal,
			Model model, RedirectAttributes redirect) throws IOException {
		if (file == null || file.isEmpty()) {
			return rejected(model, new ImportFileRejected("import.file.empty"));
		}
		if (file.getSize() > this.properties.maxFileSize().toBytes()) {
			return rejected(model, new ImportFileRejected("import.file.tooLarge", this.properties.maxFileSizeText()));
		}
		try {
			ImportJobView job = this.imports.upload(file.getOriginalFilename(), file.getBytes(), principal.getName());
			return "redirect:/admin/people/import/" + job.id();
		}
		catch (ImportFileRejected rejection) {
			return rejected(model, rejection);
		}
	}

	@GetMapping("/admin/people/import/{id}")
	String showImport(@PathVariable String id, Model model) {
		ImportJobView job = this.imports.find(id).orElseThrow(() -> new ImportNotFound(id));
		model.addAttribute("job", job);
		if (job.previewed()) {
			ImportPlan plan = this.imports.preview(id);
			model.addAttribute("plan", plan);
			model.addAttribute("outcomes", List.of(ImportOutcome.INVALID, ImportOutcome.NO_LICENSE,
					ImportOutcome.EXISTS, ImportOutcome.CREATE));
			model.addAttribute("limit", PREVIEW_ROWS);
			return "people/import-preview";
		}
		if (job.running()) {
			model.addAttribute("percent", Math.max(0, this.imports.progress(id)));
			return "people/import-progress";
		}
		if ("REFUSED".equals(job.status())) {
			// What each pool needs and has free, for the administrator to act on.
			model.addAttribute("plan", this.imports.preview(id));
		}
		model.addAttribute("reportRows", reportRows(id));
		model.addAttribute("limit", REPORT_ROWS);
		return "people/import-report";
	}

	@PostMapping("/admin/people/import/{id}/confirm")
	String confirm(@PathVariable String id,
			@RequestParam(name = "mode", defaultValue = "ALL_OR_NOTHING") ImportMode mode, Principal principal,
			Locale locale, RedirectAttributes redirect) {
		try {
			this.imports.confirm(id, mode, principal.getName(), locale);
		}
		catch (ImportNotWaiting ex) {
			redirect.addFlashAttribute("failure", ex.code());
		}
		return "redirect:/admin/people/import/" + id;
	}

	@GetMapping("/admin/people/import/{id}/progress")
	String showProgress(@PathVariable String id, Model model, jakarta.servlet.http.HttpServletResponse response) {
		ImportJobView job = this.imports.find(id).orElseThrow(() -> new ImportNotFound(id));
		if (job.finished()) {
			response.setHeader("HX-Redirect", "/admin/people/import/" + id);
		}
		model.addAttribute("job", job);
		model.addAttribute("percent", job.finished() ? 100 : Math.max(0, this.imports.progress(id)));
		return "people/import-progress :: bar";
	}

	@GetMapping("/admin/people/import/{id}/report.csv")
	@ResponseBody
	ResponseEntity<byte[]> downloadReport(@PathVariable String id) {
		String report = this.imports.report(id).orElseThrow(() -> new ImportNotFound(id));
		return ResponseEntity.status(HttpStatus.OK)
			.contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"import-report-" + id + ".csv\"")
			.body(report.getBytes(StandardCharsets.UTF_8));
	}

	private List<List<String>> reportRows(String id) {
		List<List<String>> rows = new ArrayList<>();
		this.imports.report(id).ifPresent((report) -> {
			try {
				for (CSVRecord record : CSVFormat.RFC4180.builder()
					.setHeader()
					.setSkipHeaderRecord(true)
					.get()
					.parse(new StringReader(report))) {
					if (rows.size() >= REPORT_ROWS) {
						break;
					}
					rows.add(record.toList());
				}
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		});
		return rows;
	}

	private String rejected(Model model, ImportFileRejected rejection) {
		model.addAttribute("rejection", rejection);
		model.addAttribute("recent", this.imports.recent());
		model.addAttribute("maxSize", this.properties.maxFileSizeText());
		return "people/import";
	}

}
