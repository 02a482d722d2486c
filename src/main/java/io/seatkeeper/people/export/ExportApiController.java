package io.seatkeeper.people.export;

import java.io.IOException;
import java.security.Principal;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletResponse;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "Profiles", description = "People administrators (PEOPLE_ADMIN)")
class ExportApiController {

	private final PeopleService people;

	private final AreaService areas;

	ExportApiController(PeopleService people, AreaService areas) {
		this.people = people;
		this.areas = areas;
	}

	@Operation(summary = "Export profiles as CSV",
			description = "The people export, streamed, with the console form's choices; recorded in the audit log.")
	@ApiResponse(responseCode = "200", description = "The CSV file (UTF-8, one header row)",
			content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
	@ApiResponse(responseCode = "400",
			description = "A column or state that does not exist, a forExcel that is not true or false, or an area "
					+ "that does not exist: errors names the parameter")
	@GetMapping("/api/v1/profiles.csv")
	void export(
			@Parameter(description = "The columns, in order; all when none is named") @RequestParam(name = "columns",
					required = false) List<ExportColumn> columns,
			@Parameter(description = "Only the area of this name (ignoring case)") @RequestParam(name = "area",
					required = false) String area,
			@Parameter(description = "Only profiles in this state") @RequestParam(name = "state",
					required = false) StateFilter state,
			@Parameter(
					description = "Start with a byte-order mark and use ; so that Excel opens it as is") @RequestParam(
							name = "forExcel", defaultValue = "false") boolean forExcel,
			@Parameter(hidden = true) Principal principal, @Parameter(hidden = true) Locale locale,
			HttpServletResponse response) throws IOException {
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
