package io.seatkeeper.license;

import java.security.PublicKey;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.seatkeeper.license.LicenseEvents.LicenseExpiring;
import io.seatkeeper.license.LicenseEvents.LicenseKeyApplied;
import io.seatkeeper.license.LicenseEvents.LicenseKeyRejected;
import io.seatkeeper.license.LicenseKeyRefused.Reason;
import io.seatkeeper.scheduling.ScheduledJobs;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The site's licence keys (R14): verifies a key signed by the vendor, previews what it
 * changes, and applies it under both pools' locks. The first key names the site's
 * licensee; a later key for another licensee is refused. A key's serial must be higher
 * than the current one's.
 */
@Service
public class LicenseKeys {

	/**
	 * Days before the expiry from which the console shows a banner and a mail is sent.
	 */
	public static final int EXPIRY_NOTICE_DAYS = 30;

	private static final Pattern REQUEST_REFERENCE = Pattern.compile("(?i)R-?(\\d{1,18})");

	private final LicensePools pools;

	private final JdbcTemplate jdbc;

	private final ApplicationEventPublisher events;

	private final PublicKey vendorKey;

	private final Clock clock = Clock.systemUTC();

	private final PoolLockHolds holds;

	private final ScheduledJobs jobs;

	private final TransactionTemplate transactions;

	LicenseKeys(LicensePools pools, JdbcTemplate jdbc, ApplicationEventPublisher events, LicenseProperties properties,
			PoolLockHolds holds, ScheduledJobs jobs, TransactionTemplate transactions) {
		this.holds = holds;
		this.jobs = jobs;
		this.transactions = transactions;
		this.pools = pools;
		this.jdbc = jdbc;
		this.events = events;
		this.vendorKey = properties.hasVendorKey() ? LicenseKeyCodec.publicKey(properties.vendorPublicKey()) : null;
	}

	/**
	 * The key in force, or empty on the evaluation licence.
	 */
	@Transactional(readOnly = true)
	public Optional<LicenseKey> current() {
		return this.jdbc
			.query("select serial, licensee, max_users, max_extranet_users, issued_on, expires_on, request_ref "
					+ "from license_key order by serial desc fetch first 1 rows only",
					(rs, i) -> new LicenseKey(rs.getLong("serial"), rs.getString("licensee"), rs.getInt("max_users"),
							rs.getInt("max_extranet_users"), rs.getDate("issued_on").toLocalDate(),
							(rs.getDate("expires_on") != null) ? rs.getDate("expires_on").toLocalDate() : null,
							rs.getString("request_ref")))
			.stream()
			.findFirst();
	}

	/**
	 * The site's licensee: the first key's, or {@code null} on the evaluation licence.
	 */
	@Transactional(readOnly = true)
	public String licensee() {
		return this.jdbc
			.queryForList("select licensee from license_key order by serial fetch first 1 rows only", String.class)
			.stream()
			.findFirst()
			.orElse(null);
	}

	/**
	 * Whether a vendor public key is configured, without which no key can be applied.
	 */
	public boolean verifiable() {
		return this.vendorKey != null;
	}

	/**
	 * The days left before the current key expires, when it expires within
	 * {@value #EXPIRY_NOTICE_DAYS} days or has expired (then negative); empty otherwise.
	 */
	@Transactional(readOnly = true)
	public Optional<Long> daysUntilExpiry() {
		return current().filter((key) -> key.expires() != null)
			.map((key) -> ChronoUnit.DAYS.between(LocalDate.now(this.clock), key.expires()))
			.filter((days) -> days <= EXPIRY_NOTICE_DAYS);
	}

	/**
	 * Verifies the key and says what applying it would change. Changes nothing.
	 * @throws LicenseKeyRefused if it cannot be applied
	 */
	@Transactional(readOnly = true)
	public KeyPreview preview(String token) {
		LicenseKey key = check(token);
		List<PoolChange> changes = List.of(Pool.values())
			.stream()
			.map((pool) -> this.pools.findById(pool).orElseThrow())
			.map((row) -> new PoolChange(row.pool(), row.maxUsers(), key.max(row.pool()), row.activeCount()))
			.toList();
		return new KeyPreview(key, changes);
	}

	/**
	 * Verifies the key and applies it: both pools' maxima and the expiry change in one
	 * transaction, under the pools' locks taken in their declared order (as
	 * {@link LicenseService#transfer} takes them). A pool may end below its active count:
	 * nobody is blocked, the gate refuses activations until it is back under.
	 * @throws LicenseKeyRefused if it cannot be applied; nothing changed
	 */
	@Transactional
	public KeyPreview apply(String token, String actor) {
		LicensePool primary = this.pools.lockPool(Pool.PRIMARY).orElseThrow();
		LicensePool extranet = this.pools.lockPool(Pool.EXTRANET).orElseThrow();
		this.holds.locked(Pool.PRIMARY);
		this.holds.locked(Pool.EXTRANET);
		// Checked again under the locks: two keys applied at once are applied in order.
		LicenseKey key = check(token);
		List<PoolChange> changes = List.of(
				new PoolChange(Pool.PRIMARY, primary.maxUsers(), key.maxUsers(), primary.activeCount()),
				new PoolChange(Pool.EXTRANET, extranet.maxUsers(), key.maxExtranetUsers(), extranet.activeCount()));
		primary.license(key.maxUsers(), key.expires());
		extranet.license(key.maxExtranetUsers(), key.expires());
		this.jdbc.update(
				"insert into license_key (serial, licensee, max_users, max_extranet_users, issued_on, expires_on, "
						+ "request_ref, token, applied_at, applied_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				key.serial(), key.licensee(), key.maxUsers(), key.maxExtranetUsers(), Date.valueOf(key.issued()),
				(key.expires() != null) ? Date.valueOf(key.expires()) : null, key.request(), token.strip(),
				Timestamp.from(Instant.now()), actor);
		Long request = requestId(key.request());
		if (request != null) {
			this.jdbc.update(
					"update license_request set status = 'FULFILLED', fulfilled_by_serial = ?, closed_at = ?, "
							+ "closed_by = ? where id = ? and status = 'SUBMITTED'",
					key.serial(), Timestamp.from(Instant.now()), actor, request);
		}
		this.events.publishEvent(new LicenseKeyApplied(key.serial(), key.licensee(), changes.get(0).oldMax(),
				key.maxUsers(), changes.get(1).oldMax(), key.maxExtranetUsers(), key.expires(), key.request(), actor));
		return new KeyPreview(key, changes);
	}

	/**
	 * Records a refusal in its own transaction, for the audit log.
	 */
	@Transactional(propagation = Propagation.REQUIRES_NEW)
	public void recordRefusal(LicenseKeyRefused refusal, String token, String actor) {
		Long serial = null;
		if (refusal.reason() != Reason.MALFORMED && refusal.reason() != Reason.SIGNATURE) {
			try {
				serial = LicenseKeyCodec.verify(token, this.vendorKey).serial();
			}
			catch (LicenseKeyRefused ex) {
				// no serial to name
			}
		}
		this.events.publishEvent(new LicenseKeyRejected(serial, refusal.reason().name(), refusal.getMessage(), actor));
	}

	/**
	 * Reads a key and verifies its signature only.
	 * @throws LicenseKeyRefused if it is malformed or not signed by the vendor
	 */
	LicenseKey read(String token) {
		return LicenseKeyCodec.verify(token, this.vendorKey);
	}

	/**
	 * Publishes {@link LicenseExpiring} once per key, from {@value #EXPIRY_NOTICE_DAYS}
	 * days before its expiry. The conditional update makes it once across nodes too.
	 */
	@Scheduled(initialDelayString = "${seatkeeper.license.expiry-check-interval:1h}",
			fixedDelayString = "${seatkeeper.license.expiry-check-interval:1h}")
	void noticeExpiryOnSchedule() {
		this.jobs.runOnce("license-expiry-check", "${seatkeeper.license.expiry-check-interval:1h}",
				() -> this.transactions.executeWithoutResult((status) -> noticeExpiry()));
	}

	/**
	 * Publishes {@link LicenseExpiring} now if it is due and was not published yet.
	 */
	@Transactional
	public void noticeExpiry() {
		Optional<LicenseKey> current = current();
		if (current.isEmpty() || current.get().expires() == null) {
			return;
		}
		LicenseKey key = current.get();
		long daysLeft = ChronoUnit.DAYS.between(LocalDate.now(this.clock), key.expires());
		if (daysLeft > EXPIRY_NOTICE_DAYS) {
			return;
		}
		int claimed = this.jdbc.update(
				"update license_key set expiry_notified_at = ? where serial = ? and expiry_notified_at is null",
				Timestamp.from(Instant.now()), key.serial());
		if (claimed == 1) {
			this.events.publishEvent(new LicenseExpiring(key.serial(), key.licensee(), key.expires(), daysLeft));
		}
	}

	private LicenseKey check(String token) {
		LicenseKey key = LicenseKeyCodec.verify(token, this.vendorKey);
		if (key.expiredOn(LocalDate.now(this.clock))) {
			throw new LicenseKeyRefused(Reason.EXPIRED, "it expired on " + key.expires());
		}
		Optional<LicenseKey> current = current();
		String licensee = licensee();
		if (licensee != null && !licensee.equalsIgnoreCase(key.licensee())) {
			throw new LicenseKeyRefused(Reason.LICENSEE,
					"it is issued to " + key.licensee() + ", this site is licensed to " + licensee);
		}
		if (current.isPresent() && key.serial() <= current.get().serial()) {
			throw new LicenseKeyRefused(Reason.OLDER,
					"its serial " + key.serial() + " is not higher than the current " + current.get().serial());
		}
		return key;
	}

	static Long requestId(String reference) {
		if (reference == null) {
			return null;
		}
		Matcher matcher = REQUEST_REFERENCE.matcher(reference.strip());
		return matcher.matches() ? Long.valueOf(matcher.group(1)) : null;
	}

	/**
	 * What a key changes.
	 *
	 * @param key the key
	 * @param changes each pool, Primary first
	 */
	public record KeyPreview(LicenseKey key, List<PoolChange> changes) {

		/**
		 * Whether a pool would hold more active profiles than its new maximum.
		 */
		public boolean overage() {
			return this.changes.stream().anyMatch(PoolChange::over);
		}

	}

	/**
	 * One pool's maximum now and then.
	 *
	 * @param pool the pool
	 * @param oldMax its maximum now
	 * @param newMax its maximum under the key
	 * @param active its active profiles now
	 */
	public record PoolChange(Pool pool, int oldMax, int newMax, int active) {

		/**
		 * Whether the pool would be over its new maximum.
		 */
		public boolean over() {
			return this.active > this.newMax;
		}

		/**
		 * By how many.
		 */
		public int overBy() {
			return Math.max(0, this.active - this.newMax);
		}

	}

}
