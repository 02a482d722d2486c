package io.seatkeeper.people.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.Principal;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.http.HttpServletResponse;

import io.seatkeeper.people.AreaNotFound;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.ExportColumn;
import io.seatkeeper.people.ExportRequest;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.StateFilter;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * People export (R12): a form to tick the columns and filters, and the download of
 * {@code people-YYYY-MM-DD.csv}, streamed.
 */
@Controller
class ExportController {

	/** Ticked on a fresh form: what the seed's users look for first. */
	static final Set<ExportColumn> DEFAULT_COLUMNS = EnumSet.of(ExportColumn.USERNAME, ExportColumn.FIRST_NAME,
			ExportColumn.LAST_NAME, ExportColumn.EMAIL, ExportColumn.AREA, ExportColumn.ACCOUNT_STATE,
			ExportColumn.USES_LICENSE);

	private final PeopleService people;

	private final AreaService areas;

	ExportController(PeopleService people, AreaService areas) {
		this.people = people;
		this.areas = areas;
	}

	@GetMapping("/admin/people/export")
	String initExportForm(Model model) {
		return form(model, DEFAULT_COLUMNS, null, null, true, false);
	}

	@PostMapping("/admin/people/export")
	String processExportForm(@RequestParam(name = "columns", required = false) List<ExportColumn> columns,
			@RequestParam(name = "area", required = false) Long areaId,
			@RequestParam(name = "state", required = false) StateFilter state,
			@RequestParam(name = "forExcel", defaultValue = "false") boolean forExcel, Principal principal,
			Locale locale, Model model, HttpServletResponse response) throws IOException {
		if (columns == null || columns.isEmpty()) {
			return form(model, EnumSet.noneOf(ExportColumn.class), areaId, state, forExcel, true);
		}
		if (areaId != null && !this.areas.exists(areaId)) {
			throw new AreaNotFound(areaId);
		}
		download(this.people, new ExportRequest(EnumSet.copyOf(columns), areaId, state, forExcel), locale, response,
				"console", principal.getName());
		return null;
	}

	/**
	 * Streams the export to the response as {@code people-YYYY-MM-DD.csv}.
	 */
	static void download(PeopleService people, ExportRequest request, Locale locale, HttpServletResponse response,
			String channel, String actor) throws IOException {
		response.setContentType("text/csv;charset=UTF-8");
		response.setHeader("Content-Disposition", "attachment; filename=\"people-" + LocalDate.now() + ".csv\"");
		OutputStream out = new BufferedOutputStream(response.getOutputStream(), 64 * 1024);
		people.export(request, locale, out, channel, actor);
		out.flush();
	}

	private String form(Model model, Set<ExportColumn> ticked, Long areaId, StateFilter state, boolean forExcel,
			boolean noColumns) {
		model.addAttribute("columns", ExportColumn.values());
		model.addAttribute("ticked", ticked);
		model.addAttribute("areas", this.areas.choices());
		model.addAttribute("states", StateFilter.values());
		model.addAttribute("area", areaId);
		model.addAttribute("state", state);
		model.addAttribute("forExcel", forExcel);
		model.addAttribute("noColumns", noColumns);
		return "people/export";
	}

}
