package io.seatkeeper.directory;

import java.net.URI;
import java.security.Principal;
import java.util.Map;

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

	private final DirectorySync sync;

	private final DirectoryRuns runs;

	DirectoryApiController(DirectorySync sync, DirectoryRuns runs) {
		this.sync = sync;
		this.runs = runs;
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
				ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
						"A directory sync is running already.");
				problem.setTitle("Sync running");
				this.runs.running().ifPresent((id) -> problem.setProperty("runningId", id));
				return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
			});
	}

	/**
	 * One run's state and report, or 404.
	 */
	@GetMapping("/api/v1/directory/runs/{id}")
	DirectoryRunView showRun(@PathVariable String id) {
		return this.runs.find(id).orElseThrow(() -> new DirectoryRunNotFound(id));
	}

}
