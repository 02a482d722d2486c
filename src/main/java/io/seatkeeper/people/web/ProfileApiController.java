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

import io.seatkeeper.people.AreaNotFound;
import io.seatkeeper.people.AreaService;
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
class ProfileApiController {

	private static final int DEFAULT_LIMIT = 100;

	private final PeopleService people;

	private final AreaService areas;

	ProfileApiController(PeopleService people, AreaService areas) {
		this.people = people;
		this.areas = areas;
	}

	@PostMapping
	ResponseEntity<ProfileResource> create(@Valid @RequestBody ProfileRequest request, Principal principal) {
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
	@GetMapping
	ProfileList list(@RequestParam(name = "q", required = false) String text,
			@RequestParam(name = "area", required = false) String area,
			@RequestParam(name = "state", required = false) String state,
			@RequestParam(name = "dormantDays",
					required = false) @Min(1) @Max(ProfileQuery.MAX_DORMANT_DAYS) Integer dormantDays,
			@RequestParam(name = "after", required = false) @Min(0) Long after, @RequestParam(name = "limit",
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

	@GetMapping("/{id}")
	ProfileResource show(@PathVariable long id) {
		return ProfileResource.of(this.people.get(id));
	}

	@PostMapping("/{id}/block")
	ProfileResource block(@PathVariable long id, Principal principal) {
		return ProfileResource.of(this.people.block(id, principal.getName()));
	}

	@PostMapping("/{id}/reinstate")
	ProfileResource reinstate(@PathVariable long id, Principal principal) {
		return ProfileResource.of(this.people.reinstate(id, principal.getName()));
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable long id, Principal principal) {
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
