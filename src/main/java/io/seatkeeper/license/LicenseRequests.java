package io.seatkeeper.license;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.seatkeeper.license.LicenseEvents.LicenseRequestFiled;
import io.seatkeeper.license.LicenseEvents.LicenseRequestWithdrawn;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Licence requests to the vendor (R14): add N licences (N at least {@value #MIN_ADD}) to
 * a pool, or move N licences from one pool to the other (no more than are free in the
 * source pool now). Recorded with their status, and mailed to the vendor by the
 * notification module when it hears {@link LicenseRequestFiled}.
 */
@Service
public class LicenseRequests {

	/** The fewest licences that can be added at one time. */
	public static final int MIN_ADD = 5;

	static final int COMMENT_MAX = 2000;

	private final JdbcTemplate jdbc;

	private final LicenseService licenses;

	private final LicenseKeys keys;

	private final LicenseProperties properties;

	private final ApplicationEventPublisher events;

	LicenseRequests(JdbcTemplate jdbc, LicenseService licenses, LicenseKeys keys, LicenseProperties properties,
			ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.licenses = licenses;
		this.keys = keys;
		this.properties = properties;
		this.events = events;
	}

	/**
	 * The reference the vendor quotes in the key that answers request {@code id}.
	 */
	public static String reference(long id) {
		return "R-" + id;
	}

	/**
	 * Files a request and says its reference.
	 * @param kind {@code ADD} or {@code MOVE}
	 * @param to the pool that gets the licences; for a move, they come from the other
	 * @throws InvalidLicenseRequest naming the rule that failed; nothing is recorded
	 */
	@Transactional
	public LicenseRequestFiled file(Kind kind, Pool to, int amount, String comment, String actor) {
		String note = (comment == null || comment.isBlank()) ? null : comment.strip();
		if (note != null && note.length() > COMMENT_MAX) {
			throw new InvalidLicenseRequest("comment", "license.request.invalid.comment");
		}
		PoolUsage primary = this.licenses.usage(Pool.PRIMARY);
		PoolUsage extranet = this.licenses.usage(Pool.EXTRANET);
		Pool from = null;
		if (kind == Kind.ADD) {
			if (amount < MIN_ADD) {
				throw new InvalidLicenseRequest("amount", "license.request.invalid.addMinimum");
			}
		}
		else {
			from = (to == Pool.PRIMARY) ? Pool.EXTRANET : Pool.PRIMARY;
			if (amount < 1) {
				throw new InvalidLicenseRequest("amount", "license.request.invalid.moveMinimum");
			}
			int free = ((from == Pool.PRIMARY) ? primary : extranet).available();
			if (amount > free) {
				throw new InvalidLicenseRequest("amount", "license.request.invalid.moveMoreThanFree", free,
						from.label());
			}
		}
		Instant now = Instant.now();
		KeyHolder keyHolder = new GeneratedKeyHolder();
		Pool source = from;
		this.jdbc.update((connection) -> {
			var statement = connection.prepareStatement(
					"insert into license_request (kind, from_pool, to_pool, amount, comment, status, filed_at, "
							+ "filed_by, max_users, active_users, max_extranet_users, active_extranet) "
							+ "values (?, ?, ?, ?, ?, 'SUBMITTED', ?, ?, ?, ?, ?, ?)",
					new String[] { "id" });
			statement.setString(1, kind.name());
			statement.setString(2, (source != null) ? source.name() : null);
			statement.setString(3, to.name());
			statement.setInt(4, amount);
			statement.setString(5, note);
			statement.setTimestamp(6, Timestamp.from(now));
			statement.setString(7, actor);
			statement.setInt(8, primary.max());
			statement.setInt(9, primary.active());
			statement.setInt(10, extranet.max());
			statement.setInt(11, extranet.active());
			return statement;
		}, keyHolder);
		long id = keyHolder.getKey().longValue();
		LicenseRequestFiled filed = new LicenseRequestFiled(id, reference(id), kind.name(), from, to, amount, note,
				this.keys.licensee(), primary.max(), primary.active(), extranet.max(), extranet.active(),
				this.properties.hasVendorEmail() ? this.properties.vendorEmail().strip() : null, actor);
		this.events.publishEvent(filed);
		return filed;
	}

	/**
	 * Withdraws a submitted request.
	 * @throws LicenseRequestNotFound if there is none with this id
	 * @throws InvalidLicenseRequest if it is no longer submitted
	 */
	@Transactional
	public void withdraw(long id, String actor) {
		if (find(id).isEmpty()) {
			throw new LicenseRequestNotFound(id);
		}
		int changed = this.jdbc.update("update license_request set status = 'WITHDRAWN', closed_at = ?, closed_by = ? "
				+ "where id = ? and status = 'SUBMITTED'", Timestamp.from(Instant.now()), actor, id);
		if (changed == 0) {
			throw new InvalidLicenseRequest(null, "license.request.notSubmitted", reference(id));
		}
		this.events.publishEvent(new LicenseRequestWithdrawn(id, reference(id), actor));
	}

	/**
	 * Every request, newest first.
	 */
	@Transactional(readOnly = true)
	public List<LicenseRequestView> list() {
		return this.jdbc.query(SELECT + " order by id desc", (rs, i) -> view(rs));
	}

	/**
	 * One request.
	 */
	@Transactional(readOnly = true)
	public Optional<LicenseRequestView> find(long id) {
		return this.jdbc.query(SELECT + " where id = ?", (rs, i) -> view(rs), id).stream().findFirst();
	}

	private static final String SELECT = "select id, kind, from_pool, to_pool, amount, comment, status, "
			+ "fulfilled_by_serial, filed_at, filed_by from license_request";

	private static LicenseRequestView view(java.sql.ResultSet rs) throws java.sql.SQLException {
		long serial = rs.getLong("fulfilled_by_serial");
		Long fulfilledBy = rs.wasNull() ? null : serial;
		String from = rs.getString("from_pool");
		return new LicenseRequestView(rs.getLong("id"), reference(rs.getLong("id")), Kind.valueOf(rs.getString("kind")),
				(from != null) ? Pool.valueOf(from) : null, Pool.valueOf(rs.getString("to_pool")), rs.getInt("amount"),
				rs.getString("comment"), rs.getString("status"), fulfilledBy, rs.getTimestamp("filed_at").toInstant(),
				rs.getString("filed_by"));
	}

	/**
	 * What a request asks.
	 */
	public enum Kind {

		/** Add licences to a pool. */
		ADD,
		/** Move licences from the other pool. */
		MOVE

	}

	/**
	 * One request as pages see it.
	 */
	public record LicenseRequestView(long id, String reference, Kind kind, Pool from, Pool to, int amount,
			String comment, String status, Long fulfilledBy, Instant filedAt, String filedBy) {

		public boolean submitted() {
			return "SUBMITTED".equals(this.status);
		}

	}

}
