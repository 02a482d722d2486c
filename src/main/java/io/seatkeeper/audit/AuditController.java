package io.seatkeeper.audit;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletResponse;

import io.seatkeeper.people.SpreadsheetCells;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Admin &gt; System &gt; Audit: the log, filtered by action, actor, subject and dates,
 * and its CSV export.
 */
@Controller
class AuditController {

	private static final int PAGE_SIZE = 100;

	private static final LocalDate FIRST_DAY = LocalDate.of(1, 1, 1);

	private static final LocalDate LAST_DAY = LocalDate.of(9998, 12, 31);

	private final AuditLog log;

	private final AuditWords words;

	AuditController(AuditLog log, AuditWords words) {
		this.log = log;
		this.words = words;
	}

	@GetMapping("/admin/system/audit")
	String showAudit(@RequestParam(name = "action", required = false) String action,
			@RequestParam(name = "actor", required = false) String actor,
			@RequestParam(name = "subject", required = false) String subject,
			@RequestParam(name = "from",
					required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
			@RequestParam(name = "to", required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
			@RequestParam(name = "before", required = false) Long before, Locale locale, Model model) {
		List<AuditLog.AuditEntry> entries = this.log
			.search(query(action, actor, subject, from, to, before, PAGE_SIZE + 1));
		boolean more = entries.size() > PAGE_SIZE;
		List<AuditLog.AuditEntry> page = more ? entries.subList(0, PAGE_SIZE) : entries;
		model.addAttribute("entries", page.stream().map((entry) -> this.words.row(entry, locale)).toList());
		model.addAttribute("nextBefore", more ? page.get(page.size() - 1).id() : null);
		model.addAttribute("actions",
				this.log.actions()
					.stream()
					.map((code) -> new ActionChoice(code, this.words.action(code, locale)))
					.toList());
		model.addAttribute("action", action);
		model.addAttribute("actor", actor);
		model.addAttribute("subject", subject);
		model.addAttribute("from", from);
		model.addAttribute("to", to);
		return "audit/audit";
	}

	@GetMapping("/admin/system/audit/export")
	void exportAudit(@RequestParam(name = "action", required = false) String action,
			@RequestParam(name = "actor", required = false) String actor,
			@RequestParam(name = "subject", required = false) String subject,
			@RequestParam(name = "from",
					required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
			@RequestParam(name = "to", required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
			HttpServletResponse response) throws IOException {
		response.setContentType("text/csv;charset=UTF-8");
		response.setHeader("Content-Disposition",
				"attachment; filename=\"audit-" + LocalDate.now(ZoneOffset.UTC) + ".csv\"");
		Writer writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
		try (CSVPrinter csv = new CSVPrinter(writer,
				CSVFormat.RFC4180.builder()
					.setHeader("Time (UTC)", "Actor", "Action", "Subject", "Pool", "Details")
					.get())) {
			for (AuditLog.AuditEntry entry : this.log.search(query(action, actor, subject, from, to, null, 100_000))) {
				csv.printRecord(entry.occurredAt(), SpreadsheetCells.neutralise(entry.actor()), entry.action(),
						SpreadsheetCells.neutralise(entry.subject()), entry.pool(),
						SpreadsheetCells.neutralise(entry.details()));
			}
		}
	}

	private static AuditQuery query(String action, String actor, String subject, LocalDate from, LocalDate to,
			Long before, int size) {
		return new AuditQuery(blankToNull(action), lower(actor), lower(subject), startOf(from),
				(to != null) ? startOf(clamp(to).plusDays(1)) : null, before, size);
	}

	private static Instant startOf(LocalDate day) {
		return (day != null) ? clamp(day).atStartOfDay(ZoneOffset.UTC).toInstant() : null;
	}

	/**
	 * A day within the years every database's timestamps hold: a filter from or to the
	 * year 999999999 means every line, not an error.
	 */
	private static LocalDate clamp(LocalDate day) {
		return day.isBefore(FIRST_DAY) ? FIRST_DAY : day.isAfter(LAST_DAY) ? LAST_DAY : day;
	}

	private static String lower(String value) {
		String clean = blankToNull(value);
		return (clean != null) ? clean.toLowerCase(Locale.ROOT) : null;
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	/**
	 * An action of the filter's list: its code (the filter's value) and its name.
	 */
	record ActionChoice(String code, String name) {

	}

}
