package io.seatkeeper.directory;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sync for automation: start a run, read its state and report.
 */
@RestController
@Tag(name = "Directory sync", description = "Sysadmins (SYSADMIN)")
class DirectoryApiController {

	private static final String RUNNING_CODE = "directory.run.running";

	private static final String BAD_MODE_CODE = "directory.run.badMode";

	private final DirectorySync sync;

	private final DirectoryRuns runs;

	private final MessageSource messages;

	DirectoryApiController(DirectorySync sync, DirectoryRuns runs, MessageSource messages) {
		this.sync = sync;
		this.runs = runs;
		this.messages = messages;
	}

	/**
	 * Starts a run: 202 with its id, or 409 when one is running.
	 */
	@Operation(summary = "Start a directory sync",
			description = "Starts a run in the background; follow Location to read its state and report.")
	@ApiResponse(responseCode = "202", description = "Started; Location names the run",
			headers = @Header(name = "Location", description = "/api/v1/directory/runs/{id}"),
			content = @Content(schema = @Schema(implementation = StartedRun.class)))
	@ApiResponse(responseCode = "409",
			description = "A sync is running already (code directory.run.running; runningId names it)")
	@ApiResponse(responseCode = "400", description = "mode is neither delta nor full (code directory.run.badMode)")
	@ApiResponse(responseCode = "200",
			description = "With dryRun=true: what a run would do, changed nothing (the fields of a run; "
					+ "its id starts with preview-)",
			content = @Content(schema = @Schema(implementation = RunResource.class)))
	@PostMapping("/api/v1/directory/sync")
	ResponseEntity<?> startSync(@Parameter(hidden = true) Principal principal,
			@Parameter(description = "delta (only what changed since the last successful run) or full; "
					+ "by default a delta when it can be trusted, else full. A delta that cannot be trusted "
					+ "runs full: the run's mode says which ran") @RequestParam(required = false) String mode,
			@Parameter(description = "true: preview the run, change nothing, answer its report (200)") @RequestParam(
					defaultValue = "false") boolean dryRun) {
		String requested = DirectoryController.mode(mode);
		if (DirectoryController.BAD_MODE.equals(requested)) {
			String text = this.messages.getMessage(BAD_MODE_CODE, new Object[] { mode }, Locale.ENGLISH);
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, text);
			problem.setTitle("Bad mode");
			problem.setProperty("code", BAD_MODE_CODE);
			problem.setProperty("message", text);
			return ResponseEntity.badRequest().body(problem);
		}
		if (dryRun) {
			try {
				return ResponseEntity.ok(RunResource.of(this.sync.preview(principal.getName()), this.messages));
			}
			catch (DirectorySync.RunInProgress ex) {
				return running();
			}
		}
		return this.sync.start(principal.getName(), requested)
			.<ResponseEntity<?>>map((id) -> ResponseEntity.accepted()
				.location(URI.create("/api/v1/directory/runs/" + id))
				.body(new StartedRun(id, DirectoryRunView.RUNNING)))
			.orElseGet(this::running);
	}

	private ResponseEntity<?> running() {
		String text = this.messages.getMessage(RUNNING_CODE, null, Locale.ENGLISH);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, text);
		problem.setTitle("Sync running");
		problem.setProperty("code", RUNNING_CODE);
		problem.setProperty("message", text);
		this.runs.running().ifPresent((id) -> problem.setProperty("runningId", id));
		return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
	}

	/**
	 * One run's state and report, or 404.
	 */
	@Operation(summary = "Show a directory sync run")
	@ApiResponse(responseCode = "200", description = "The run's state and report")
	@ApiResponse(responseCode = "404", description = "No run has this id (code directory.run.notFound)")
	@GetMapping("/api/v1/directory/runs/{id}")
	RunResource showRun(@PathVariable String id) {
		return RunResource.of(this.runs.find(id).orElseThrow(() -> new DirectoryRunNotFound(id)), this.messages);
	}

	/**
	 * A run just started: its id, and its state ({@code RUNNING}).
	 */
	record StartedRun(String id, String state) {
	}

	/**
	 * A run and its report, as the API shows it: the fields of {@link DirectoryRunView},
	 * with {@code message} the readable text of why it failed or stopped, {@code code}
	 * that text's stable code, and {@code detail} what the text names (the host and port,
	 * the certificate's subject), and {@code mode} {@code FULL} or {@code DELTA}.
	 */
	record RunResource(String id, String state, String phase, String startedBy, Instant startedAt, Instant finishedAt,
			int entriesRead, int planned, int applied, int createdActive, int createdAwaiting, int activated,
			int updated, int blockedDisabled, int blockedRemoved, int unchanged, int leftAwaiting, int wouldBlock,
			int managed, int excluded, int rehired, int moved, int errorCount, List<ErrorResource> errors,
			String message, String code, String detail, String confirmedBy, String mode) {

		static RunResource of(DirectoryRunView run, MessageSource messages) {
			// The view's message is the English text already, resolved from its code.
			List<ErrorResource> errors = run.errors()
				.stream()
				.map((error) -> new ErrorResource(error.dn(), error.code(), error.value(),
						messages.getMessage(error.code(), new Object[] { error.value() }, error.code(),
								Locale.ENGLISH)))
				.toList();
			return new RunResource(run.id(), run.state(), run.phase(), run.startedBy(), run.startedAt(),
					run.finishedAt(), run.entriesRead(), run.planned(), run.applied(), run.createdActive(),
					run.createdAwaiting(), run.activated(), run.updated(), run.blockedDisabled(), run.blockedRemoved(),
					run.unchanged(), run.leftAwaiting(), run.wouldBlock(), run.managed(), run.excluded(), run.rehired(),
					run.moved(), run.errorCount(), errors, run.message(), run.code(), run.detail(), run.confirmedBy(),
					run.mode());
		}

	}

	/**
	 * An entry the run could not apply: its DN, the stable code of the reason and its
	 * readable text, and the value at fault.
	 */
	record ErrorResource(String dn, String code, String value, String message) {
	}

}
