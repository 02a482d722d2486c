package io.seatkeeper.people.web;

import java.io.IOException;
import java.security.Principal;
import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.seatkeeper.people.DormantReport;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * {@code GET /api/v1/reports/dormant}: the reclaim report per pool, and one page of its
 * profiles; {@code GET /api/v1/reports/dormant.csv}: all of them as CSV.
 */
@RestController
@Tag(name = "Reports", description = "Sysadmins and people administrators (SYSADMIN, PEOPLE_ADMIN)")
class DormantReportApiController {

	private final DormantReport report;

	DormantReportApiController(DormantReport report) {
		this.report = report;
	}

	@Operation(summary = "Dormant profiles",
			description = "Per pool, the active profiles with no sign-in for at least days days (dormant), those "
					+ "that never signed in and were created more than days days ago (neverSignedIn), and the "
					+ "licences blocking them would free (wouldFree); then one page of those profiles in id order "
					+ "(at most limit; follow next until it is null). The built-in administrator is never listed.")
	@ApiResponse(responseCode = "200", description = "The report")
	@ApiResponse(responseCode = "400",
			description = "days is not a whole number from 1 to 36500 (code dormant.days.invalid), or limit or "
					+ "after is out of range: errors names it")
	@GetMapping("/api/v1/reports/dormant")
	Report report(
			@Parameter(description = "No sign-in for at least this many days (1 to 36500; default 90)") @RequestParam(
					name = "days", required = false) String days,
			@Parameter(description = "The last id of the previous page; the page starts after it") @RequestParam(
					name = "after", required = false) @Min(0) Long after,
			@Parameter(description = "The most profiles the page holds (1 to 1000)") @RequestParam(name = "limit",
					defaultValue = "" + DormantReport.DEFAULT_LIMIT) @Min(1) @Max(DormantReport.MAX_LIMIT) int limit) {
		int value = DormantReport.days(days);
		List<PoolFigures> pools = this.report.pools(value)
			.stream()
			.map((pool) -> new PoolFigures(pool.pool().name(), pool.dormant(), pool.neverSignedIn(), pool.wouldFree()))
			.toList();
		DormantReport.Page page = this.report.page(value, after, limit);
		String next = null;
		if (page.nextAfter() != null) {
			next = ServletUriComponentsBuilder.fromCurrentRequestUri()
				.replaceQuery("days=" + value + "&limit=" + limit + "&after=" + page.nextAfter())
				.build(true)
				.toUriString();
		}
		return new Report(value, pools,
				page.profiles()
					.stream()
					.map((profile) -> new DormantProfile(profile.id(), profile.username(), profile.pool().name(),
							profile.lastSignInAt(), profile.createdAt()))
					.toList(),
				next);
	}

	@Operation(summary = "Dormant profiles as CSV",
			description = "Every profile of the report (id, username, pool, lastSignInAt, createdAt), streamed; "
					+ "recorded in the audit log.")
	@ApiResponse(responseCode = "200", description = "The CSV file (UTF-8, one header row)",
			content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
	@ApiResponse(responseCode = "400", description = "days is not a whole number from 1 to 36500")
	@GetMapping("/api/v1/reports/dormant.csv")
	void reportCsv(
			@Parameter(description = "No sign-in for at least this many days (1 to 36500; default 90)") @RequestParam(
					name = "days", required = false) String days,
			@Parameter(hidden = true) Principal principal, HttpServletResponse response) throws IOException {
		DormantController.download(this.report, DormantReport.days(days), response, "api", principal.getName());
	}

	/**
	 * The report.
	 *
	 * @param next the URL of the next page of profiles, {@code null} on the last
	 */
	record Report(int days, List<PoolFigures> pools, List<DormantProfile> profiles, String next) {
	}

	/**
	 * One pool's figures.
	 */
	record PoolFigures(String pool, long dormant, long neverSignedIn, long wouldFree) {
	}

	/**
	 * One dormant or never-signed-in profile; {@code lastSignInAt} is {@code null} when
	 * it never signed in.
	 */
	record DormantProfile(long id, String username, String pool, Instant lastSignInAt, Instant createdAt) {
	}

}
