package io.seatkeeper.people.web;

import java.security.Principal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.seatkeeper.license.LicenseLimitExceeded;
import io.seatkeeper.license.Pool;
import io.seatkeeper.people.AreaNotFound;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.AwaitingQueue;
import io.seatkeeper.people.BuiltInAdministratorProtected;
import io.seatkeeper.people.BulkBlock;
import io.seatkeeper.people.DeletionNotConfirmed;
import io.seatkeeper.people.NotAwaiting;
import io.seatkeeper.people.PeopleRefusal;
import io.seatkeeper.people.PeopleService;
import io.seatkeeper.people.ProfileQuery;
import io.seatkeeper.people.ProfileSlice;
import io.seatkeeper.people.ProfileSource;
import io.seatkeeper.people.ProfileView;
import io.seatkeeper.people.StateFilter;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * People: the list, adding one user, and one profile's page with block, reinstate, move,
 * delete and roles.
 */
@Controller
class PeopleController {

	private static final int PAGE_SIZE = 50;

	/** The people list counts its matches no further: above it, it says "10,000+". */
	static final int COUNT_CAP = 10_000;

	/** The dormancy filter's choices, in days without a sign-in. */
	private static final List<Integer> DORMANCIES = List.of(30, 90, 180, 365);

	private static final int QUEUE_CHUNK = 1000;

	private final PeopleService people;

	private final AreaService areas;

	private final AwaitingQueue queue;

	PeopleController(PeopleService people, AreaService areas, AwaitingQueue queue) {
		this.queue = queue;
		this.people = people;
		this.areas = areas;
	}

	@GetMapping("/admin/people")
	String showPeople(@RequestParam(name = "q", required = false) String text,
			@RequestParam(name = "area", required = false) Long areaId,
			@RequestParam(name = "state", required = false) StateFilter state,
			@RequestParam(name = "dormant",
					required = false) @Min(1) @Max(ProfileQuery.MAX_DORMANT_DAYS) Integer dormant,
			@RequestParam(name = "after", required = false) String after,
			@RequestParam(name = "from", required = false) @Min(1) Long from, Model model) {
		ProfileSlice slice = this.people.search(new ProfileQuery(text, areaId, state, dormant, after, PAGE_SIZE));
		long matching = this.people.countUpTo(new ProfileQuery(text, areaId, state, dormant, null, PAGE_SIZE),
				COUNT_CAP + 1);
		long first = (after == null || from == null) ? 1 : from;
		model.addAttribute("slice", slice);
		model.addAttribute("count", new ResultCount(first, first + slice.profiles().size() - 1,
				Math.min(matching, COUNT_CAP), matching > COUNT_CAP));
		model.addAttribute("areas", this.areas.choices());
		model.addAttribute("states", StateFilter.values());
		model.addAttribute("dormancies", DORMANCIES);
		model.addAttribute("q", text);
		model.addAttribute("area", areaId);
		model.addAttribute("state", state);
		model.addAttribute("dormant", dormant);
		model.addAttribute("after", after);
		return "people/list";
	}

	@PostMapping("/admin/people/block/confirm")
	String initBulkBlock(@RequestParam(name = "scope", defaultValue = "selected") String scope,
			@RequestParam(name = "ids", required = false) List<Long> ids,
			@RequestParam(name = "q", required = false) String text,
			@RequestParam(name = "area", required = false) Long areaId,
			@RequestParam(name = "state", required = false) StateFilter state,
			@RequestParam(name = "dormant",
					required = false) @Min(1) @Max(ProfileQuery.MAX_DORMANT_DAYS) Integer dormant,
			Model model, RedirectAttributes redirect) {
		List<Long> chosen = selection(scope, ids, new ProfileQuery(text, areaId, state, dormant, null, PAGE_SIZE));
		BulkBlock preview = this.people.previewBlock(chosen);
		if (preview.profiles() == 0) {
			redirect.addFlashAttribute("failure", "people.block.none");
			return "redirect:/admin/people";
		}
		model.addAttribute("preview", preview);
		model.addAttribute("ids", chosen);
		return "people/block-confirm";
	}

	@PostMapping("/admin/people/block")
	String processBulkBlock(@RequestParam(name = "ids", required = false) List<Long> ids, Principal principal,
			RedirectAttributes redirect) {
		BulkBlock done = this.people.blockAll((ids != null) ? ids : List.of(), principal.getName());
		redirect.addFlashAttribute("success", "people.block.done");
		redirect.addFlashAttribute("successArgs",
				new Object[] { done.profiles(), done.freed(), done.freedPrimary(), done.freedExtranet() });
		return "redirect:/admin/people";
	}

	private List<Long> selection(String scope, List<Long> ids, ProfileQuery filter) {
		if ("matching".equals(scope)) {
			return this.people.matching(filter);
		}
		return (ids != null) ? ids : List.of();
	}

	@GetMapping("/admin/people/new")
	String initCreationForm(Model model) {
		model.addAttribute("form", ProfileForm.empty());
		model.addAttribute("areas", this.areas.choices());
		return "people/new";
	}

	@PostMapping("/admin/people/new")
	String processCreationForm(@Valid @ModelAttribute("form") ProfileForm form, BindingResult result,
			Principal principal, Model model, RedirectAttributes redirect) {
		if (!result.hasErrors()) {
			try {
				ProfileView created = this.people.create(form.toNewProfile(ProfileSource.LOCAL), principal.getName());
				redirect.addFlashAttribute("success", "profile.created");
				redirect.addFlashAttribute("successArgs", new Object[] { created.username() });
				return "redirect:/admin/people/" + created.id();
			}
			catch (LicenseLimitExceeded refusal) {
				model.addAttribute("refusal", refusal);
				result.reject("license.full");
			}
			catch (PeopleRefusal refusal) {
				if (refusal.field() != null) {
					String field = "area".equals(refusal.field()) ? "areaId" : refusal.field();
					result.rejectValue(field, refusal.code(), refusal.arguments(), refusal.getMessage());
				}
				else {
					result.reject(refusal.code(), refusal.arguments(), refusal.getMessage());
				}
			}
		}
		model.addAttribute("areas", this.areas.choices());
		return "people/new";
	}

	@GetMapping("/admin/people/{id}")
	String showProfile(@PathVariable long id, Model model) {
		model.addAttribute("profile", this.people.get(id));
		model.addAttribute("areas", this.areas.choices());
		model.addAttribute("queuePosition", this.queue.position(id).orElse(0));
		return "people/profile";
	}

	@PostMapping("/admin/people/{id}/block")
	String block(@PathVariable long id, Principal principal, RedirectAttributes redirect) {
		ProfileView profile = this.people.block(id, principal.getName());
		return done(redirect, profile, "profile.blocked");
	}

	@PostMapping("/admin/people/{id}/reinstate")
	String reinstate(@PathVariable long id, Principal principal, Model model, RedirectAttributes redirect) {
		try {
			ProfileView profile = this.people.reinstate(id, principal.getName());
			return done(redirect, profile, "profile.reinstated");
		}
		catch (LicenseLimitExceeded refusal) {
			return refusedOnProfile(id, refusal, model);
		}
	}

	@PostMapping("/admin/people/{id}/queue/front")
	String moveToFront(@PathVariable long id, @RequestParam(name = "back", required = false) String back,
			Principal principal, RedirectAttributes redirect) {
		try {
			ProfileView profile = this.queue.moveToFront(id, principal.getName());
			redirect.addFlashAttribute("success", "queue.promoted");
			redirect.addFlashAttribute("successArgs", new Object[] { profile.username() });
		}
		catch (NotAwaiting refusal) {
			redirect.addFlashAttribute("failure", refusal.code());
			redirect.addFlashAttribute("failureArgs", refusal.arguments());
		}
		return back(back, id);
	}

	@PostMapping("/admin/people/{id}/queue/remove")
	String removeFromQueue(@PathVariable long id, @RequestParam(name = "back", required = false) String back,
			Principal principal, RedirectAttributes redirect) {
		try {
			ProfileView profile = this.queue.remove(id, principal.getName());
			redirect.addFlashAttribute("success", "queue.removed");
			redirect.addFlashAttribute("successArgs", new Object[] { profile.username() });
		}
		catch (NotAwaiting refusal) {
			redirect.addFlashAttribute("failure", refusal.code());
			redirect.addFlashAttribute("failureArgs", refusal.arguments());
		}
		return back(back, id);
	}

	@PostMapping("/admin/people/queue/activate")
	String activateQueue(@RequestParam(name = "back", required = false) String back, Principal principal,
			RedirectAttributes redirect) {
		int activated = 0;
		for (Pool pool : Pool.values()) {
			activated += this.queue.activate(pool, QUEUE_CHUNK, principal.getName());
		}
		redirect.addFlashAttribute("success", "queue.activated");
		redirect.addFlashAttribute("successArgs", new Object[] { activated });
		return "license".equals(back) ? "redirect:/admin/system/license" : "redirect:/admin/people?state=AWAITING";
	}

	/**
	 * Back to the License page's queue when the action came from there, else to the
	 * profile.
	 */
	private static String back(String back, long id) {
		return "license".equals(back) ? "redirect:/admin/system/license" : "redirect:/admin/people/" + id;
	}

	@PostMapping("/admin/people/{id}/move")
	String move(@PathVariable long id, @RequestParam(name = "areaId", required = false) Long areaId,
			Principal principal, Model model, RedirectAttributes redirect) {
		if (areaId == null) {
			redirect.addFlashAttribute("failure", "profile.move.areaRequired");
			return "redirect:/admin/people/" + id;
		}
		try {
			ProfileView profile = this.people.move(id, areaId, principal.getName());
			return done(redirect, profile, "profile.moved");
		}
		catch (LicenseLimitExceeded refusal) {
			return refusedOnProfile(id, refusal, model);
		}
		catch (AreaNotFound refusal) {
			redirect.addFlashAttribute("failure", refusal.code());
			redirect.addFlashAttribute("failureArgs", refusal.arguments());
			return "redirect:/admin/people/" + id;
		}
	}

	@PostMapping("/admin/people/{id}/delete")
	String delete(@PathVariable long id, @RequestParam(name = "confirmation", required = false) String confirmation,
			Principal principal, RedirectAttributes redirect) {
		ProfileView profile = this.people.get(id);
		try {
			this.people.delete(id, confirmation, principal.getName());
		}
		catch (DeletionNotConfirmed | BuiltInAdministratorProtected refusal) {
			redirect.addFlashAttribute("failure", refusal.code());
			redirect.addFlashAttribute("failureArgs", refusal.arguments());
			return "redirect:/admin/people/" + id;
		}
		redirect.addFlashAttribute("success", "profile.deleted");
		redirect.addFlashAttribute("successArgs", new Object[] { profile.username() });
		return "redirect:/admin/people";
	}

	@PostMapping("/admin/people/{id}/reclaim")
	String changeReclaimExemption(@PathVariable long id,
			@RequestParam(name = "neverReclaim", defaultValue = "false") boolean neverReclaim, Principal principal,
			RedirectAttributes redirect) {
		ProfileView profile = this.people.changeReclaimExemption(id, neverReclaim, principal.getName());
		return done(redirect, profile, neverReclaim ? "profile.neverReclaim.set" : "profile.neverReclaim.cleared");
	}

	@PostMapping("/admin/people/{id}/roles")
	String changeRoles(@PathVariable long id, @RequestParam(name = "sysadmin", defaultValue = "false") boolean sysadmin,
			@RequestParam(name = "peopleAdmin", defaultValue = "false") boolean peopleAdmin, Principal principal,
			RedirectAttributes redirect) {
		ProfileView profile = this.people.changeRoles(id, sysadmin, peopleAdmin, principal.getName());
		return done(redirect, profile, "profile.rolesChanged");
	}

	private String done(RedirectAttributes redirect, ProfileView profile, String message) {
		redirect.addFlashAttribute("success", message);
		redirect.addFlashAttribute("successArgs", new Object[] { profile.username() });
		return "redirect:/admin/people/" + profile.id();
	}

	private String refusedOnProfile(long id, LicenseLimitExceeded refusal, Model model) {
		model.addAttribute("refusal", refusal);
		return showProfile(id, model);
	}

	/**
	 * What the people list says above its table: "Showing 1–50 of 1,234", or "of 10,000+"
	 * when more match than are counted.
	 */
	record ResultCount(long first, long last, long total, boolean more) {

		/** The number of the first row on the next page. */
		public long next() {
			return this.last + 1;
		}

	}

}
