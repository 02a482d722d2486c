package io.seatkeeper.tokens;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tokens through the API, for sysadmins who sign in with their password (a token never
 * makes tokens).
 */
@RestController
@RequestMapping("/api/v1/tokens")
class TokenApiController {

	private final ApiTokens tokens;

	TokenApiController(ApiTokens tokens) {
		this.tokens = tokens;
	}

	@PostMapping
	ResponseEntity<CreatedToken> create(@RequestBody TokenRequest request, Principal principal) {
		CreatedToken created = this.tokens.create(request.name(), request.scopes(), request.expiresOn(),
				principal.getName());
		return ResponseEntity.created(URI.create("/api/v1/tokens/" + created.id())).body(created);
	}

	@GetMapping
	TokenList list() {
		return new TokenList(this.tokens.list().stream().map(TokenResource::of).toList());
	}

	@GetMapping("/{id}")
	TokenResource get(@PathVariable long id) {
		return TokenResource.of(this.tokens.find(id));
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> revoke(@PathVariable long id, Principal principal) {
		this.tokens.revoke(id, principal.getName());
		return ResponseEntity.noContent().build();
	}

	@ExceptionHandler(TokenRefusal.class)
	ProblemDetail refused(TokenRefusal refusal) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, refusal.getMessage());
		problem.setTitle("Bad Request");
		problem.setProperty("code", refusal.code());
		problem.setProperty("errors", Map.of(refusal.field(), refusal.getMessage()));
		return problem;
	}

	@ExceptionHandler(TokenNotFound.class)
	ProblemDetail notFound(TokenNotFound missing) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, missing.getMessage());
		problem.setTitle("Token not found");
		problem.setProperty("code", "token.error.notFound");
		return problem;
	}

	record TokenRequest(String name, Set<TokenScope> scopes, LocalDate expiresOn) {
	}

	record TokenList(List<TokenResource> tokens) {
	}

	record TokenResource(long id, String name, Set<TokenScope> scopes, String hint, LocalDate expiresOn,
			Instant createdAt, String createdBy, Instant lastUsedAt, Instant revokedAt, String revokedBy,
			String state) {

		static TokenResource of(TokenView token) {
			return new TokenResource(token.id(), token.name(), token.scopes(), token.hint(), token.expiresOn(),
					token.createdAt(), token.createdBy(), token.lastUsedAt(), token.revokedAt(), token.revokedBy(),
					token.state().name());
		}

	}

}
