package io.seatkeeper.people.web;

import java.net.URI;
import java.security.Principal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

import io.seatkeeper.people.AreaNotFound;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.AreaView;
import io.seatkeeper.people.NewProfile;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileRules;
import io.seatkeeper.people.ProfileSource;
import io.seatkeeper.people.ProfileView;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The profiles API, for automation: it passes the same gate as the console.
 */
@RestController
@RequestMapping("/api/v1/profiles")
class ProfileApiController {

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
