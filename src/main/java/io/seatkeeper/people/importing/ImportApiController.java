package io.seatkeeper.people.importing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.seatkeeper.people.ImportMode;
import io.seatkeeper.people.ImportOutcome;
import io.seatkeeper.people.ImportProperties;
import io.seatkeeper.people.ImportService;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/profiles/import}: a CSV upload for HR systems that push files. The
 * body is the CSV, sent as {@code text/csv} (any other type, such as the
 * {@code text/plain} of a cross-site form, is a 415); {@code mode} is
 * {@code all-or-nothing} (default) or {@code as-many-as-fit}; {@code dryRun=true} gives
 * the preview and changes nothing.
 */
@RestController
@Tag(name = "Profiles", description = "People administrators (PEOPLE_ADMIN)")
class ImportApiController {

	private final ImportService imports;

	private final ImportProperties properties;

	private final MessageSource messages;

	ImportApiController(ImportService imports, ImportProperties properties, MessageSource messages) {
		this.imports = imports;
		this.properties = properties;
		this.messages = messages;
	}

	@Operation(summary = "Upload profiles as CSV",
			description = "Creates the profiles of a CSV file (the console upload's columns) through the licence "
					+ "check; each row's outcome is in the report, with the readable reason and its code.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
	@ApiResponse(responseCode = "200", description = "The preview of a dry run: nothing was changed",
			content = @Content(schema = @Schema(implementation = Report.class)))
	@ApiResponse(responseCode = "201", description = "The upload's report; Location is its page in the console",
			content = @Content(schema = @Schema(implementation = Report.class)))
	@ApiResponse(responseCode = "400",
			description = "A mode or dryRun that does not exist, or a multipart body that cannot be read: errors "
					+ "names the parameter")
	@ApiResponse(responseCode = "409",
			description = "All or nothing: the rows do not fit in the free licences, nothing was created (status "
					+ "REFUSED, the report says how many each pool needs)",
			content = @Content(schema = @Schema(implementation = Report.class)))
	@ApiResponse(responseCode = "413",
			description = "The file is larger than seatkeeper.import.max-file-size " + "(code import.file.tooLarge)")
	@ApiResponse(responseCode = "415", description = "The body is not text/csv (accepted names the types taken)")
	@ApiResponse(responseCode = "503", description = "The licences are busy; retry after Retry-After seconds")
	@PostMapping(path = "/api/v1/profiles/import", consumes = "text/csv")
	ResponseEntity<?> importProfiles(
			@Parameter(description = "all-or-nothing (default) or as-many-as-fit",
					schema = @Schema(allowableValues = { "all-or-nothing", "as-many-as-fit" })) @RequestParam(
							name = "mode", required = false) String mode,
			@Parameter(description = "true: the preview only, nothing changed") @RequestParam(name = "dryRun",
					defaultValue = "false") boolean dryRun,
			HttpServletRequest request, @Parameter(hidden = true) Principal principal) throws IOException {
		ImportMode chosen = mode(mode);
		if (chosen == null) {
			ProblemDetail problem = coded(
					ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, message("import.api.mode", mode)),
					"import.api.mode");
			problem.setProperty("errors", java.util.Map.of("mode", message("import.api.mode", mode)));
			return ResponseEntity.badRequest().body(problem);
		}
		byte[] content = read(request.getInputStream());
		if (content == null) {
			return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
				.body(coded(
						ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE,
								message("import.file.tooLarge", this.properties.maxFileSizeText())),
						"import.file.tooLarge"));
		}
		if (dryRun) {
			return ResponseEntity
				.ok(Report.of(null, "PREVIEW", chosen, true, this.imports.preview(content), this.messages));
		}
		ImportService.ImportResult result = this.imports.importNow("api-upload.csv", content, chosen,
				principal.getName(), Locale.ENGLISH);
		Report report = Report.of(result.job().id(), result.job().status(), chosen, false, result.plan(),
				this.messages);
		if ("REFUSED".equals(result.job().status())) {
			return ResponseEntity.status(HttpStatus.CONFLICT).body(report);
		}
		return ResponseEntity.created(URI.create("/admin/people/import/" + result.job().id())).body(report);
	}

	private byte[] read(InputStream in) throws IOException {
		long max = this.properties.maxFileSize().toBytes();
		byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
		return (content.length > max) ? null : content;
	}

	private static ImportMode mode(String mode) {
		if (mode == null || mode.isBlank() || mode.equalsIgnoreCase("all-or-nothing")
				|| mode.equalsIgnoreCase("ALL_OR_NOTHING")) {
			return ImportMode.ALL_OR_NOTHING;
		}
		if (mode.equalsIgnoreCase("as-many-as-fit") || mode.equalsIgnoreCase("AS_MANY_AS_FIT")) {
			return ImportMode.AS_MANY_AS_FIT;
		}
		return null;
	}

	/**
	 * The problem with its stable {@code code} and its readable {@code message}, as every
	 * API problem carries them.
	 */
	private static ProblemDetail coded(ProblemDetail problem, String code) {
		problem.setProperty("code", code);
		problem.setProperty("message", problem.getDetail());
		return problem;
	}

	private String message(String code, Object... arguments) {
		return this.messages.getMessage(code, arguments, Locale.ENGLISH);
	}

	/**
	 * The JSON report of an upload.
	 */
	record Report(String jobId, String status, String mode, boolean dryRun, Counts counts, List<PoolFigures> pools,
			List<Line> rows) {

		static Report of(String jobId, String status, ImportMode mode, boolean dryRun, ImportPlan plan,
				MessageSource messages) {
			// A refused import created nothing; only a dry run counts the rows it would
			// create.
			Counts counts = new Counts(plan.rows().size(),
					plan.count(ImportOutcome.CREATED) + (dryRun ? plan.count(ImportOutcome.CREATE) : 0),
					plan.count(ImportOutcome.EXISTS),
					plan.count(ImportOutcome.REFUSED) + plan.count(ImportOutcome.NO_LICENSE),
					plan.count(ImportOutcome.INVALID));
			List<PoolFigures> pools = plan.needs()
				.stream()
				.map((need) -> new PoolFigures(need.pool().name(), need.needed(), need.free()))
				.toList();
			List<Line> rows = plan.rows()
				.stream()
				.map((row) -> new Line(row.line(), row.username(), row.outcome().name(),
						(row.reason() != null) ? messages.getMessage(row.reason(), row.arguments(), Locale.ENGLISH)
								: null,
						row.reason()))
				.toList();
			return new Report(jobId, status, mode.name(), dryRun, counts, pools, rows);
		}

	}

	record Counts(long rows, long created, long skipped, long refused, long invalid) {
	}

	record PoolFigures(String pool, int needed, int free) {
	}

	/**
	 * One row of the upload: {@code reason} is the readable text of why it was not
	 * created, {@code code} that text's stable code.
	 */
	record Line(int line, String username, String outcome, String reason, String code) {
	}

}
