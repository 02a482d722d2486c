package io.seatkeeper.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.seatkeeper.tokens.TokenEvents.TokenCreated;
import io.seatkeeper.tokens.TokenEvents.TokenRevoked;
import io.seatkeeper.tokens.TokenView.State;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The tokens, and the one writer of the {@code api_token} table. A secret is
 * {@value #PREFIX} and 256 random bits (base64url); only its SHA-256 is stored, so a
 * check is one hash and one indexed look-up, and a stolen database gives no usable
 * secret.
 */
@Service
public class ApiTokens {

	/**
	 * How every secret begins, so that a leaked one is easy to recognise and search for.
	 */
	public static final String PREFIX = "skt_";

	/** The longest name: {@code token:} and the name fit the audit log's actor column. */
	public static final int NAME_MAX = 48;

	private static final int SECRET_LENGTH = PREFIX.length() + 43;

	/** The last use is written at most this often per token, not at every request. */
	private static final Duration LAST_USE_PRECISION = Duration.ofMinutes(1);

	private static final String COLUMNS = "id, name, scopes, hint, expires_on, created_at, created_by, last_used_at, "
			+ "revoked_at, revoked_by";

	private final JdbcTemplate jdbc;

	private final ApplicationEventPublisher events;

	private final SecureRandom random = new SecureRandom();

	private final Clock clock = Clock.systemUTC();

	ApiTokens(DataSource dataSource, ApplicationEventPublisher events) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.events = events;
	}

	/**
	 * Creates a token; its secret is in the answer and nowhere else.
	 * @param expiresOn the last day it is accepted, or {@code null} for no expiry
	 * @throws TokenRefusal naming the field: a name empty, too long or in use by another
	 * token, no scope, an expiry in the past
	 */
	@Transactional
	public CreatedToken create(String name, Set<TokenScope> scopes, LocalDate expiresOn, String actor) {
		String clean = (name != null) ? name.strip() : "";
		if (clean.isEmpty()) {
			throw new TokenRefusal("name", "token.error.nameRequired", "A token needs a name");
		}
		if (clean.length() > NAME_MAX) {
			throw new TokenRefusal("name", "token.error.nameTooLong",
					"A token's name has at most " + NAME_MAX + " characters", NAME_MAX);
		}
		if (clean.chars().anyMatch((c) -> Character.isISOControl(c))) {
			throw new TokenRefusal("name", "token.error.nameControl", "A token's name cannot hold control characters");
		}
		if (scopes == null || scopes.isEmpty() || scopes.stream().anyMatch(java.util.Objects::isNull)) {
			throw new TokenRefusal("scopes", "token.error.scopesRequired",
					"A token needs at least one scope: SCIM, API_READ or API_WRITE");
		}
		LocalDate today = LocalDate.now(this.clock);
		if (expiresOn != null && expiresOn.isBefore(today)) {
			throw new TokenRefusal("expiresOn", "token.error.expiryPast",
					"The expiry " + expiresOn + " is in the past (today is " + today + ")", expiresOn, today);
		}
		String key = clean.toLowerCase(Locale.ROOT);
		if (this.jdbc.queryForObject("select count(*) from api_token where active_name_key = ?", Integer.class,
				key) > 0) {
			throw nameTaken(clean);
		}
		byte[] bits = new byte[32];
		this.random.nextBytes(bits);
		String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
		Set<TokenScope> kept = EnumSet.copyOf(scopes);
		KeyHolder keys = new GeneratedKeyHolder();
		try {
			this.jdbc.update((connection) -> {
				var statement = connection.prepareStatement("insert into api_token (name, active_name_key, scopes, "
						+ "secret_hash, hint, expires_on, created_at, created_by) values (?, ?, ?, ?, ?, ?, ?, ?)",
						new String[] { "id" });
				statement.setString(1, clean);
				statement.setString(2, key);
				statement.setString(3, kept.stream().map(Enum::name).collect(Collectors.joining(",")));
				statement.setString(4, hash(secret));
				statement.setString(5, secret.substring(0, PREFIX.length() + 4));
				statement.setDate(6, (expiresOn != null) ? Date.valueOf(expiresOn) : null);
				statement.setTimestamp(7, Timestamp.from(this.clock.instant()));
				statement.setString(8, actor);
				return statement;
			}, keys);
		}
		catch (DuplicateKeyException ex) {
			// Another sysadmin gave the same name at the same moment.
			throw nameTaken(clean);
		}
		long id = keys.getKey().longValue();
		this.events.publishEvent(new TokenCreated(id, clean, kept, expiresOn, actor));
		return new CreatedToken(id, clean, kept, expiresOn, secret);
	}

	/**
	 * Every token, the newest first, with its last use; revoked ones too.
	 */
	@Transactional(readOnly = true)
	public List<TokenView> list() {
		return this.jdbc.query("select " + COLUMNS + " from api_token order by id desc", this::view);
	}

	/**
	 * One token.
	 * @throws TokenNotFound if no token has that id
	 */
	@Transactional(readOnly = true)
	public TokenView find(long id) {
		return this.jdbc.query("select " + COLUMNS + " from api_token where id = ?", this::view, id)
			.stream()
			.findFirst()
			.orElseThrow(() -> new TokenNotFound(id));
	}

	/**
	 * Revokes a token: from the next request on, nowhere accepted. Revoking a revoked
	 * token changes nothing.
	 * @throws TokenNotFound if no token has that id
	 */
	@Transactional
	public TokenView revoke(long id, String actor) {
		TokenView token = find(id);
		int changed = this.jdbc.update("update api_token set revoked_at = ?, revoked_by = ?, active_name_key = null "
				+ "where id = ? and revoked_at is null", Timestamp.from(this.clock.instant()), actor, id);
		if (changed == 1) {
			this.events.publishEvent(new TokenRevoked(id, token.name(), actor));
		}
		return find(id);
	}

	/**
	 * Checks a secret: the token it belongs to, if it is neither revoked nor expired, and
	 * records its use.
	 */
	@Transactional
	public Check check(String secret) {
		if (secret == null || secret.length() != SECRET_LENGTH || !secret.startsWith(PREFIX)) {
			return Check.refused("The token is not a Seatkeeper token");
		}
		List<Check> found = this.jdbc.query(
				"select id, name, scopes, expires_on, revoked_at, last_used_at from api_token where secret_hash = ?",
				(rs, n) -> check(rs), hash(secret));
		if (found.isEmpty()) {
			return Check.refused("The token is unknown");
		}
		Check check = found.get(0);
		if (check.accepted()) {
			Instant now = this.clock.instant();
			this.jdbc.update(
					"update api_token set last_used_at = ? where id = ? and (last_used_at is null "
							+ "or last_used_at < ?)",
					Timestamp.from(now), check.id(), Timestamp.from(now.minus(LAST_USE_PRECISION)));
		}
		return check;
	}

	private Check check(ResultSet rs) throws SQLException {
		long id = rs.getLong("id");
		String name = rs.getString("name");
		if (rs.getTimestamp("revoked_at") != null) {
			return Check.refused("The token was revoked");
		}
		Date expires = rs.getDate("expires_on");
		if (expires != null && LocalDate.now(this.clock).isAfter(expires.toLocalDate())) {
			return Check.refused("The token expired on " + expires.toLocalDate());
		}
		return new Check(id, name, scopes(rs.getString("scopes")), null);
	}

	private TokenView view(ResultSet rs, int row) throws SQLException {
		Date expires = rs.getDate("expires_on");
		LocalDate expiresOn = (expires != null) ? expires.toLocalDate() : null;
		Instant revokedAt = instant(rs.getTimestamp("revoked_at"));
		State state = (revokedAt != null) ? State.REVOKED
				: (expiresOn != null && LocalDate.now(this.clock).isAfter(expiresOn)) ? State.EXPIRED : State.ACTIVE;
		return new TokenView(rs.getLong("id"), rs.getString("name"), scopes(rs.getString("scopes")),
				rs.getString("hint"), expiresOn, instant(rs.getTimestamp("created_at")), rs.getString("created_by"),
				instant(rs.getTimestamp("last_used_at")), revokedAt, rs.getString("revoked_by"), state);
	}

	private static TokenRefusal nameTaken(String name) {
		return new TokenRefusal("name", "token.error.nameTaken",
				"Another token in use is named " + name + "; revoke it first or choose another name", name);
	}

	private static Set<TokenScope> scopes(String text) {
		Set<TokenScope> scopes = EnumSet.noneOf(TokenScope.class);
		Arrays.stream(text.split(",")).map(String::strip).map(TokenScope::valueOf).forEach(scopes::add);
		return scopes;
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	static String hash(String secret) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java has SHA-256", ex);
		}
	}

	/**
	 * The outcome of a check: the token's id, name and scopes, or why it was refused.
	 */
	public record Check(long id, String name, Set<TokenScope> scopes, String refusal) {

		static Check refused(String why) {
			return new Check(0, null, Set.of(), why);
		}

		public boolean accepted() {
			return this.refusal == null;
		}

	}

}
