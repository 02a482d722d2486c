package io.seatkeeper.tokens;

import java.security.Principal;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Admin &gt; System &gt; API tokens: create one (its secret shown once), see every token
 * with its last use, revoke.
 */
@Controller
@RequestMapping("/admin/system/tokens")
class TokenController {

	private final ApiTokens tokens;

	TokenController(ApiTokens tokens) {
		this.tokens = tokens;
	}

	@GetMapping
	String list(Model model) {
		if (!model.containsAttribute("form")) {
			model.addAttribute("form", new TokenForm());
		}
		model.addAttribute("tokens", this.tokens.list());
		model.addAttribute("scopes", List.of(TokenScope.values()));
		return "tokens/tokens";
	}

	@PostMapping
	String create(@ModelAttribute("form") TokenForm form, BindingResult binding, Principal principal, Model model) {
		if (binding.hasErrors()) {
			return list(model);
		}
		try {
			CreatedToken created = this.tokens.create(form.getName(), form.scopes(), form.getExpiresOn(),
					principal.getName());
			model.addAttribute("created", created);
			model.addAttribute("form", new TokenForm());
		}
		catch (TokenRefusal refusal) {
			binding.rejectValue("scopes".equals(refusal.field()) ? "scope" : refusal.field(), refusal.code(),
					refusal.arguments(), refusal.getMessage());
		}
		return list(model);
	}

	@PostMapping("/{id}/revoke")
	String revoke(@PathVariable long id, Principal principal, RedirectAttributes redirect) {
		TokenView token = this.tokens.revoke(id, principal.getName());
		redirect.addFlashAttribute("revoked", token.name());
		return "redirect:/admin/system/tokens";
	}

	/**
	 * The creation form; a date that does not parse is a binding error on its field.
	 */
	public static class TokenForm {

		private String name;

		private List<TokenScope> scope = List.of();

		@DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
		private LocalDate expiresOn;

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public List<TokenScope> getScope() {
			return this.scope;
		}

		public void setScope(List<TokenScope> scope) {
			this.scope = (scope != null) ? scope : List.of();
		}

		public LocalDate getExpiresOn() {
			return this.expiresOn;
		}

		public void setExpiresOn(LocalDate expiresOn) {
			this.expiresOn = expiresOn;
		}

		Set<TokenScope> scopes() {
			Set<TokenScope> scopes = EnumSet.noneOf(TokenScope.class);
			this.scope.stream().filter((s) -> s != null).forEach(scopes::add);
			return scopes;
		}

	}

}
