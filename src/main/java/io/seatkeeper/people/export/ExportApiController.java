package io.seatkeeper.people.export;

import java.io.IOException;
import java.security.Principal;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletResponse;

import io.seatkeeper.people.AreaNotFound;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.ExportColumn;
import io.seatkeeper.people.ExportRequest;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.StateFilter;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/profiles.csv}: the people export for automation, with the same
 * parameters as the console's form; all columns when none is named.
 */
@RestController
class ExportApiController {

	private final PeopleService people;

	private final AreaService areas;

	ExportApiController(PeopleService people, AreaService areas) {
		this.people = people;
		this.areas = areas;
	}

	@GetMapping("/api/v1/profiles.csv")
	void export(@RequestParam(name = "columns", required = false) List<ExportColumn> columns,
			@RequestParam(name = "area", required = false) String area,
			@RequestParam(name = "state", required = false) StateFilter state,
			@RequestParam(name = "forExcel", defaultValue = "false") boolean forExcel, Principal principal,
			Locale locale, HttpServletResponse response) throws IOException {
		Long areaId = null;
		if (area != null && !area.isBlank()) {
			areaId = this.areas.findByName(area).orElseThrow(() -> new AreaNotFound(area)).id();
		}
		EnumSet<ExportColumn> chosen = (columns == null || columns.isEmpty()) ? EnumSet.allOf(ExportColumn.class)
				: EnumSet.copyOf(columns);
		ExportController.download(this.people, new ExportRequest(chosen, areaId, state, forExcel), locale, response,
				"api", principal.getName());
	}

}
