package io.seatkeeper.people.web;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.seatkeeper.people.AreaNotFound;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.AwaitingQueue;
import io.seatkeeper.people.AreaView;
import io.seatkeeper.people.InvalidFilter;
import io.seatkeeper.people.NewProfile;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfilePage;
import io.seatkeeper.people.ProfileQuery;
import io.seatkeeper.people.ProfileRules;
import io.seatkeeper.people.ProfileSource;
import io.seatkeeper.people.ProfileView;
import io.seatkeeper.people.StateFilter;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The profiles API, for automation: it passes the same gate as the console.
 */
@RestController
@RequestMapping("/api/v1/profiles")
@Tag(name = "Profiles", description = "People administrators (PEOPLE_ADMIN)")
class ProfileApiController {

	private static final int DEFAULT_LIMIT = 100;

	private final PeopleService people;

	private final AreaService areas;

	private final AwaitingQueue queue;

	ProfileApiController(PeopleService people, AreaService areas, AwaitingQueue queue) {
		this.queue = queue;
		this.people = people;
		this.areas = areas;
	}

	@Operation(summary = "Create a profile",
			description = "Creates an active profile in the area named (the Primary Area when none), through the "
					+ "licence check of its pool.")
	@ApiResponse(responseCode = "201", description = "Created; Location names the new profile",
			headers = @Header(name = "Location", description = "/api/v1/profiles/{id}"))
	@ApiResponse(responseCode = "400",
			description = "A field is missing or invalid, the body is not JSON, the username is taken or the area "
					+ "does not exist: errors names each field at fault")
	@ApiResponse(responseCode = "409",
			description = "No licence is free in the area's pool (code license.full, with pool, max, active, "
					+ "available) or the licence expired (code license.expired)")
	@ApiResponse(responseCode = "415", description = "The body is not application/json")
	@ApiResponse(responseCode = "503",
			description = "The licences are busy with a large change; retry after "
					+ "the Retry-After seconds (code error.busy); nothing was changed")
	@PostMapping
	ResponseEntity<ProfileResource> create(@Valid @RequestBody ProfileRequest request,
			@Parameter(hidden = true) Principal principal) {
		AreaView area = this.areas.findByName(request.area()).orElseThrow(() -> new AreaNotFound(request.area()));
		ProfileView created = this.people.create(new NewProfile(request.username(), request.email(),
				request.firstName(), request.lastName(), area.id(), request.password(), ProfileSource.API),
				principal.getName());
		return ResponseEntity.created(URI.create("/api/v1/profiles/" + created.id())).body(ProfileResource.of(created));
	}

	/**
	 * One page of the profiles that match the people list's filters, in id order, and the
	 * link to the next page.
	 */
	@Operation(summary = "List profiles",
			description = "The people list's filters, one page at a time in id order (keyset paging: no page "
					+ "costs more than the first). Follow next until it is null; each profile has the fields "
					+ "of GET /api/v1/profiles/{id}.")
	@ApiResponse(responseCode = "200", description = "One page, and the URL of the next one (null on the last)")
	@ApiResponse(responseCode = "400",
			description = "A parameter is out of its range, of the wrong type, or names no state or area: errors "
					+ "names it")
	@GetMapping
	ProfileList list(
			@Parameter(description = "The start of a username, e-mail address, first name, last name "
					+ "or \"first last\", ignoring case") @RequestParam(name = "q", required = false) String text,
			@Parameter(description = "An area's name (ignoring case) or id") @RequestParam(name = "area",
					required = false) String area,
			@Parameter(
					description = "active, blocked (awaiting included), awaiting (a licence) or dormant (blocked by "
							+ "the reclaim job), ignoring case",
					schema = @Schema(allowableValues = { "active", "blocked", "awaiting", "dormant" })) @RequestParam(
							name = "state", required = false) String state,
			@Parameter(description = "Only profiles with no sign-in for this many days (never signed in and "
					+ "created before then, or last signed in before then)") @RequestParam(name = "dormantDays",
							required = false) @Min(1) @Max(ProfileQuery.MAX_DORMANT_DAYS) Integer dormantDays,
			@Parameter(description = "The last id of the previous page; the page starts after it") @RequestParam(
					name = "after", required = false) @Min(0) Long after,
			@Parameter(description = "The most profiles the page holds") @RequestParam(name = "limit",
					defaultValue = "" + DEFAULT_LIMIT) @Min(1) @Max(ProfilePage.MAX_LIMIT) int limit) {
		Long areaId = null;
		if (area != null && !area.isBlank()) {
			areaId = this.areas.findByIdOrName(area).orElseThrow(() -> new AreaNotFound(area)).id();
		}
		ProfilePage page = this.people.pageById(new ProfileQuery(text, areaId, state(state), dormantDays, null, limit),
				after, limit);
		String next = null;
		if (page.hasNext()) {
			Map<String, Object> query = new LinkedHashMap<>();
			query.put("q", text);
			query.put("area", area);
			query.put("state", state);
			query.put("dormantDays", dormantDays);
			query.put("limit", limit);
			query.put("after", page.nextAfter());
			next = link(query);
		}
		return new ProfileList(page.profiles().stream().map(ProfileResource::of).toList(), next);
	}

	/**
	 * This request's URL with the given parameters, each encoded as a form field (so that
	 * a {@code +} in a search stays a {@code +}).
	 */
	private static String link(Map<String, Object> parameters) {
		StringBuilder query = new StringBuilder();
		parameters.forEach((name, value) -> {
			if (value != null && !value.toString().isBlank()) {
				query.append((query.length() > 0) ? "&" : "")
					.append(name)
					.append('=')
					.append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
			}
		});
		return ServletUriComponentsBuilder.fromCurrentRequestUri()
			.replaceQuery(query.toString())
			.build(true)
			.toUriString();
	}

	private static StateFilter state(String state) {
		if (state == null || state.isBlank()) {
			return null;
		}
		for (StateFilter filter : StateFilter.values()) {
			if (filter.name().equalsIgnoreCase(state.strip())) {
				return filter;
			}
		}
		throw new InvalidFilter("state", "profile.api.state", state);
	}

	@Operation(summary = "Show a profile")
	@ApiResponse(responseCode = "200", description = "The profile")
	@ApiResponse(responseCode = "400", description = "The id is not a number: errors names it")
	@ApiResponse(responseCode = "404", description = "No profile has this id (code profile.notFound)")
	@GetMapping("/{id}")
	ProfileResource show(@PathVariable long id) {
		return ProfileResource.of(this.people.get(id));
	}

	@Operation(summary = "Block a profile", description = "Blocks it by an administrator; its licence is freed.")
	@ApiResponse(responseCode = "200", description = "The blocked profile")
	@ApiResponse(responseCode = "400", description = "The id is not a number: errors names it")
	@ApiResponse(responseCode = "404", description = "No profile has this id (code profile.notFound)")
	@ApiResponse(responseCode = "409",
			description = "The built-in administrator cannot be blocked, or the profile changed meanwhile")
	@ApiResponse(responseCode = "503", description = "The licences are busy; retry after Retry-After seconds")
	@PostMapping("/{id}/block")
	ProfileResource block(@PathVariable long id, @Parameter(hidden = true) Principal principal) {
		return ProfileResource.of(this.people.block(id, principal.getName()));
	}

	@Operation(summary = "Move a profile to the front of the queue",
			description = "A profile awaiting a licence becomes the first of its pool's queue: it is activated "
					+ "first when a licence is free. Audited (QUEUE_PROMOTED).")
	@ApiResponse(responseCode = "200", description = "The profile, still awaiting a licence")
	@ApiResponse(responseCode = "404", description = "No profile has this id (code profile.notFound)")
	@ApiResponse(responseCode = "409", description = "The profile does not await a licence (code queue.notAwaiting)")
	@PostMapping("/{id}/queue/front")
	ProfileResource moveToFront(@PathVariable long id, @Parameter(hidden = true) Principal principal) {
		return ProfileResource.of(this.queue.moveToFront(id, principal.getName()));
	}

	@Operation(summary = "Take a profile out of the queue",
			description = "A profile awaiting a licence is blocked by an administrator: no sync, SCIM client or "
					+ "queue activates it until it is reinstated. Audited (QUEUE_REMOVED).")
	@ApiResponse(responseCode = "200", description = "The profile, blocked by an administrator")
	@ApiResponse(responseCode = "404", description = "No profile has this id (code profile.notFound)")
	@ApiResponse(responseCode = "409", description = "The profile does not await a licence (code queue.notAwaiting)")
	@PostMapping("/{id}/queue/remove")
	ProfileResource removeFromQueue(@PathVariable long id, @Parameter(hidden = true) Principal principal) {
		return ProfileResource.of(this.queue.remove(id, principal.getName()));
	}

	@Operation(summary = "Reinstate a profile",
			description = "Makes a blocked profile active through the licence " + "check of its pool.")
	@ApiResponse(responseCode = "200", description = "The active profile")
	@ApiResponse(responseCode = "400", description = "The id is not a number: errors names it")
	@ApiResponse(responseCode = "404", description = "No profile has this id (code profile.notFound)")
	@ApiResponse(responseCode = "409",
			description = "No licence is free in its pool (code license.full, with "
					+ "pool, max, active, available), the licence expired (code license.expired), or the profile "
					+ "changed meanwhile")
	@ApiResponse(responseCode = "503", description = "The licences are busy; retry after Retry-After seconds")
	@PostMapping("/{id}/reinstate")
	ProfileResource reinstate(@PathVariable long id, @Parameter(hidden = true) Principal principal) {
		return ProfileResource.of(this.people.reinstate(id, principal.getName()));
	}

	@Operation(summary = "Delete a profile", description = "Deletes it for good; an active one frees its licence.")
	@ApiResponse(responseCode = "204", description = "Deleted")
	@ApiResponse(responseCode = "400", description = "The id is not a number: errors names it")
	@ApiResponse(responseCode = "404", description = "No profile has this id (code profile.notFound)")
	@ApiResponse(responseCode = "409", description = "The built-in administrator cannot be deleted")
	@ApiResponse(responseCode = "503", description = "The licences are busy; retry after Retry-After seconds")
	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable long id, @Parameter(hidden = true) Principal principal) {
		ProfileView profile = this.people.get(id);
		this.people.delete(id, profile.username(), principal.getName());
		return ResponseEntity.noContent().build();
	}

	/**
	 * A new profile, as the API takes it.
	 */
	record ProfileRequest(@ProfileRules.Username String username, @ProfileRules.Email String email,
			@ProfileRules.Name String firstName, @ProfileRules.Name String lastName,
			@Size(max = ProfileRules.AREA_NAME_MAX) String area, @ProfileRules.Password String password) {
	}

	/**
	 * A page of profiles, and the URL of the next page ({@code null} on the last).
	 */
	record ProfileList(List<ProfileResource> profiles, String next) {
	}

	/**
	 * A profile, as the API shows it.
	 */
	record ProfileResource(long id, String username, String email, String firstName, String lastName, String area,
			String pool, String state, String blockReason, boolean usesLicense) {

		static ProfileResource of(ProfileView profile) {
			return new ProfileResource(profile.id(), profile.username(), profile.email(), profile.firstName(),
					profile.lastName(), profile.areaName(), profile.pool().name(), profile.state().name(),
					(profile.blockReason() != null) ? profile.blockReason().name() : null, profile.usesLicense());
		}

	}

}
