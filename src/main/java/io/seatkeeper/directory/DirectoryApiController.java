package io.seatkeeper.directory;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sync for automation: start a run, read its state and report.
 */
@RestController
class DirectoryApiController {

	private static final String RUNNING_CODE = "directory.run.running";

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
	@PostMapping("/api/v1/directory/sync")
	ResponseEntity<?> startSync(Principal principal) {
		return this.sync.start(principal.getName())
			.<ResponseEntity<?>>map((id) -> ResponseEntity.accepted()
				.location(URI.create("/api/v1/directory/runs/" + id))
				.body(Map.of("id", id, "state", DirectoryRunView.RUNNING)))
			.orElseGet(() -> {
				String text = this.messages.getMessage(RUNNING_CODE, null, Locale.ENGLISH);
				ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, text);
				problem.setTitle("Sync running");
				problem.setProperty("code", RUNNING_CODE);
				problem.setProperty("message", text);
				this.runs.running().ifPresent((id) -> problem.setProperty("runningId", id));
				return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
			});
	}

	/**
	 * One run's state and report, or 404.
	 */
	@GetMapping("/api/v1/directory/runs/{id}")
	RunResource showRun(@PathVariable String id) {
		return RunResource.of(this.runs.find(id).orElseThrow(() -> new DirectoryRunNotFound(id)), this.messages);
	}

	/**
	 * A run and its report, as the API shows it: the fields of {@link DirectoryRunView},
	 * with {@code message} the readable text of why it failed or stopped and {@code code}
	 * that text's stable code.
	 */
	record RunResource(String id, String state, String phase, String startedBy, Instant startedAt, Instant finishedAt,
			int entriesRead, int planned, int applied, int createdActive, int createdAwaiting, int activated,
			int updated, int blockedDisabled, int blockedRemoved, int unchanged, int leftAwaiting, int wouldBlock,
			int managed, int errorCount, List<ErrorResource> errors, String message, String code, String confirmedBy) {

		static RunResource of(DirectoryRunView run, MessageSource messages) {
			String message = (run.message() != null) ? messages.getMessage(run.message(),
					new Object[] { run.wouldBlock(), run.managed() }, run.message(), Locale.ENGLISH) : null;
			List<ErrorResource> errors = run.errors()
				.stream()
				.map((error) -> new ErrorResource(error.dn(), error.code(), error.value(),
						messages.getMessage(error.code(), new Object[] { error.value() }, error.code(),
								Locale.ENGLISH)))
				.toList();
			return new RunResource(run.id(), run.state(), run.phase(), run.startedBy(), run.startedAt(),
					run.finishedAt(), run.entriesRead(), run.planned(), run.applied(), run.createdActive(),
					run.createdAwaiting(), run.activated(), run.updated(), run.blockedDisabled(), run.blockedRemoved(),
					run.unchanged(), run.leftAwaiting(), run.wouldBlock(), run.managed(), run.errorCount(), errors,
					message, run.message(), run.confirmedBy());
		}

	}

	/**
	 * An entry the run could not apply: its DN, the stable code of the reason and its
	 * readable text, and the value at fault.
	 */
	record ErrorResource(String dn, String code, String value, String message) {
	}

}
