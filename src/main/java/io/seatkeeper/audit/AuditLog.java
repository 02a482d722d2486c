package io.seatkeeper.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.seatkeeper.license.LicenseEvents.LicenseExpiring;
import io.seatkeeper.license.LicenseEvents.LicenseKeyApplied;
import io.seatkeeper.tokens.TokenEvents.TokenCreated;
import io.seatkeeper.tokens.TokenEvents.TokenRevoked;
import io.seatkeeper.license.LicenseEvents.LicenseKeyRejected;
import io.seatkeeper.license.LicenseEvents.LicenseRequestFiled;
import io.seatkeeper.license.LicenseEvents.LicenseRequestWithdrawn;
import io.seatkeeper.directory.DirectoryEvents.DirectoryAccountExcluded;
import io.seatkeeper.directory.DirectoryEvents.DirectoryExclusionRemoved;
import io.seatkeeper.directory.DirectoryEvents.DirectoryRunFinished;
import io.seatkeeper.license.LicenseLimitReached;
import io.seatkeeper.notification.NotificationEvents.LimitEpisodeClosed;
import io.seatkeeper.notification.NotificationEvents.LimitMailQueued;
import io.seatkeeper.notification.NotificationEvents.ResponsiblePersonChanged;
import io.seatkeeper.notification.NotificationEvents.TestMailSent;
import io.seatkeeper.people.ProfileEvents.AreaCreated;
import io.seatkeeper.people.ProfileEvents.AreaDeleted;
import io.seatkeeper.people.ProfileEvents.AreaRenamed;
import io.seatkeeper.people.ProfileEvents.ProfileAttributesChanged;
import io.seatkeeper.people.ProfileEvents.ProfileBlocked;
import io.seatkeeper.people.ProfileEvents.ProfileCreated;
import io.seatkeeper.people.ProfileEvents.ProfileDeleted;
import io.seatkeeper.people.ProfileEvents.ProfileDeprovisioned;
import io.seatkeeper.people.ProfileEvents.DirectoryAccountRematched;
import io.seatkeeper.people.ProfileEvents.ProfileDetailsChanged;
import io.seatkeeper.people.ProfileEvents.ProfileMoved;
import io.seatkeeper.people.ProfileEvents.ProfileReinstated;
import io.seatkeeper.people.ProfileEvents;
import io.seatkeeper.people.ProfileEvents.ProfileQueueChanged;
import io.seatkeeper.people.ProfileEvents.ProfileRolesChanged;
import io.seatkeeper.people.ProfileEvents.ImportRefused;
import io.seatkeeper.people.ProfileEvents.ProfilesExported;
import io.seatkeeper.people.ProfileEvents.ProfilesImported;
import io.seatkeeper.scim.ScimGroupChanged;
import io.seatkeeper.sso.SsoEvents.SsoIdentityLinked;
import io.seatkeeper.sso.SsoEvents.SsoSignInFailed;
import io.seatkeeper.sso.SsoEvents.SsoSignInRefused;
import io.seatkeeper.system.SignInEvents.SignInFailed;
import io.seatkeeper.system.SignInEvents.SignInThrottled;

import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Limit;
import org.springframework.security.authentication.event.AuthenticationFailureDisabledEvent;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes the audit log. It listens inside the transaction of each change, so that a line
 * is written exactly when its change commits; a refusal, whose operation rolled back, is
 * published and written on its own.
 * <p>
 * Plain {@code @EventListener}s, not the registry's after-commit listeners: a line
 * commits with its change or not at all, and can never be missing for a committed one.
 */
@Service
public class AuditLog {

	private final AuditEvents events;

	AuditLog(AuditEvents events) {
		this.events = events;
	}

	/**
	 * Lines matching the filters, newest first.
	 */
	@Transactional(readOnly = true)
	public List<AuditEntry> search(AuditQuery query) {
		return this.events
			.search(query.action(), query.actor(), query.subject(), query.from(), query.to(), query.before(),
					Limit.of(query.size()))
			.stream()
			.map((event) -> new AuditEntry(event.getId(), event.getOccurredAt(), event.getActor(), event.getAction(),
					event.getSubject(), event.getPool(), event.getDetails()))
			.toList();
	}

	/**
	 * The actions that occur in the log, for the filter.
	 */
	@Transactional(readOnly = true)
	public List<String> actions() {
		return this.events.actions();
	}

	@EventListener
	@Transactional
	void on(ProfileCreated event) {
		write(event.actor(), "PROFILE_CREATED", event.username(), event.pool().name(),
				"area=" + event.area() + ", state=" + event.state()
						+ ((event.blockReason() != null) ? ", reason=" + event.blockReason() : "") + ", source="
						+ event.source());
	}

	@EventListener
	@Transactional
	void on(ProfileBlocked event) {
		write(event.actor(), "PROFILE_BLOCKED", event.username(), event.pool().name(),
				"reason=" + event.reason() + ", licence freed=" + event.freedLicense());
	}

	@EventListener
	@Transactional
	void on(ProfileReinstated event) {
		write(event.actor(), "PROFILE_REINSTATED", event.username(), event.pool().name(), "area=" + event.area());
	}

	@EventListener
	@Transactional
	void on(ProfileMoved event) {
		write(event.actor(), "PROFILE_MOVED", event.username(), event.toPool().name(),
				"from=" + event.fromArea() + " (" + event.fromPool() + "), to=" + event.toArea() + " (" + event.toPool()
						+ "), state=" + event.state()
						+ ((event.blockReason() != null) ? ", reason=" + event.blockReason() : ""));
	}

	@EventListener
	@Transactional
	void on(ProfileDeleted event) {
		write(event.actor(), "PROFILE_DELETED", event.username(), event.pool().name(),
				"area=" + event.area() + ", licence freed=" + event.freedLicense());
	}

	@EventListener
	@Transactional
	void on(ProfileEvents.ReclaimExemptionChanged event) {
		write(event.actor(), "NEVER_RECLAIM_CHANGED", event.username(), null, "neverReclaim=" + event.neverReclaim());
	}

	@EventListener
	@Transactional
	void on(ProfileEvents.ReclaimRunHeld event) {
		write(event.actor(), "RECLAIM_RUN_HELD", null, null,
				"run=" + event.runId() + ", dormant PRIMARY=" + event.candidatesPrimary() + " (allowed "
						+ event.allowedPrimary() + "), EXTRANET=" + event.candidatesExtranet() + " (allowed "
						+ event.allowedExtranet() + "); nobody blocked until a sysadmin confirms");
	}

	@EventListener
	@Transactional
	void on(ProfileEvents.ProfilesReclaimed event) {
		write(event.actor(), "RECLAIM_RUN", null, null,
				"run=" + event.runId() + ", blocked as dormant PRIMARY=" + event.primary() + ", EXTRANET="
						+ event.extranet()
						+ ((event.confirmedBy() != null) ? ", confirmed by " + event.confirmedBy() : ""));
	}

	@EventListener
	@Transactional
	void on(ProfileRolesChanged event) {
		write(event.actor(), "ROLES_CHANGED", event.username(), null,
				"SYSADMIN=" + event.sysadmin() + ", PEOPLE_ADMIN=" + event.peopleAdmin());
	}

	@EventListener
	@Transactional
	void on(ProfileQueueChanged event) {
		write(event.actor(), "QUEUE_" + event.change(), event.username(), event.pool().name(),
				ProfileQueueChanged.PROMOTED.equals(event.change()) ? "moved to the front of the queue"
						: "taken out of the queue, blocked by an administrator");
	}

	@EventListener
	@Transactional
	void on(ProfileDetailsChanged event) {
		List<String> changes = new ArrayList<>();
		change(changes, "email", event.before().email(), event.after().email());
		change(changes, "first name", event.before().firstName(), event.after().firstName());
		change(changes, "last name", event.before().lastName(), event.after().lastName());
		write(event.actor(), "PROFILE_DETAILS_CHANGED", event.username(), null, String.join(", ", changes));
	}

	private static void change(List<String> changes, String field, String before, String after) {
		if (!Objects.equals(before, after)) {
			changes.add(field + "=" + after + " (was " + before + ")");
		}
	}

	@EventListener
	@Transactional
	void on(ProfilesExported event) {
		write(event.actor(), "PEOPLE_EXPORTED", null, null, "rows=" + event.rows() + ", via=" + event.channel()
				+ ", area=" + event.area() + ", state=" + event.state() + ", columns=" + event.columns());
	}

	@EventListener
	@Transactional
	void on(ProfilesImported event) {
		write(event.actor(), "PEOPLE_IMPORTED", null, null,
				"file=" + event.fileName() + ", upload=" + event.jobId() + ", mode=" + event.mode() + ", created="
						+ event.created() + ", skipped=" + event.skipped() + ", refused=" + event.refused()
						+ ", invalid=" + event.invalid());
	}

	@EventListener
	@Transactional
	void on(ImportRefused event) {
		write(event.actor(), "IMPORT_REFUSED", null, null,
				"file=" + event.fileName() + ", upload=" + event.jobId() + ", " + event.needs());
	}

	@EventListener
	@Transactional
	void on(DirectoryAccountRematched event) {
		write(event.actor(), "DIRECTORY_REHIRE", event.username(), null, "by=" + event.by() + ", old id="
				+ event.oldDirectoryId() + ", new id=" + event.newDirectoryId() + ", profile=" + event.id());
	}

	@EventListener
	@Transactional
	void on(DirectoryAccountExcluded event) {
		write(event.actor(), "DIRECTORY_EXCLUDED", event.username(), null, "id=" + event.directoryId());
	}

	@EventListener
	@Transactional
	void on(DirectoryExclusionRemoved event) {
		write(event.actor(), "DIRECTORY_EXCLUSION_REMOVED", event.username(), null, "id=" + event.directoryId());
	}

	@EventListener
	@Transactional
	void on(DirectoryRunFinished event) {
		write(event.actor(), "DIRECTORY_SYNC", null, null, "run=" + event.runId() + ", state=" + event.state()
				+ ((event.message() != null) ? ", reason=" + event.message() : "") + ", read=" + event.entriesRead()
				+ ", created active=" + event.createdActive() + ", created awaiting=" + event.createdAwaiting()
				+ ", activated=" + event.activated() + ", updated=" + event.updated() + ", blocked disabled="
				+ event.blockedDisabled() + ", blocked removed=" + event.blockedRemoved() + ", unchanged="
				+ event.unchanged() + ", awaiting=" + event.leftAwaiting() + ", errors=" + event.errors());
	}

	@EventListener
	@Transactional
	void on(AreaCreated event) {
		write(event.actor(), "AREA_CREATED", null, "EXTRANET", "name=" + event.name());
	}

	@EventListener
	@Transactional
	void on(AreaRenamed event) {
		write(event.actor(), "AREA_RENAMED", null, "EXTRANET", "from=" + event.oldName() + ", to=" + event.newName());
	}

	@EventListener
	@Transactional
	void on(AreaDeleted event) {
		write(event.actor(), "AREA_DELETED", null, "EXTRANET", "name=" + event.name());
	}

	@EventListener
	@Transactional
	void on(LicenseLimitReached event) {
		write(event.actor(), "LICENSE_REFUSED", event.subject(), event.pool().name(), "operation=" + event.operation()
				+ ", max=" + event.max() + ", active=" + event.active() + ", requested=" + event.requested());
	}

	@EventListener
	@Transactional
	void on(ResponsiblePersonChanged event) {
		write(event.actor(), "RESPONSIBLE_PERSON_CHANGED", null, null,
				"from=" + event.oldAddress() + ", to=" + event.newAddress());
	}

	@EventListener
	@Transactional
	void on(LimitMailQueued event) {
		write(event.actor(), "LIMIT_MAIL_QUEUED", null, event.pool().name(), "kind=" + event.kind() + ", trigger="
				+ event.trigger() + ", to=" + event.recipient() + ", mail=" + event.outboxId());
	}

	@EventListener
	@Transactional
	void on(LimitEpisodeClosed event) {
		write("system", "LIMIT_EPISODE_CLOSED", null, event.pool().name(),
				"kind=" + event.kind() + ", refused attempts=" + event.refusedAttempts());
	}

	@EventListener
	@Transactional
	void on(TestMailSent event) {
		write(event.actor(), "TEST_MAIL_SENT", null, null,
				"to=" + event.recipient() + ", accepted=" + event.accepted() + ", answer="
						+ ((event.answer().length() > 1500) ? event.answer().substring(0, 1500) : event.answer()));
	}

	@EventListener
	@Transactional
	void on(AuthenticationFailureDisabledEvent event) {
		String username = event.getAuthentication().getName();
		write(username, "SIGN_IN_REFUSED", username, null, "the profile is blocked");
	}

	// Published outside any transaction, by the sign-in: written at once, on its own.
	@EventListener
	@Transactional
	void on(SignInFailed event) {
		write(event.username(), "SIGN_IN_FAILED", event.username(), null, "address=" + event.address() + ", way="
				+ event.way() + ((event.lockedUntil() != null) ? ", locked until=" + event.lockedUntil() : ""));
	}

	@EventListener
	@Transactional
	void on(SignInThrottled event) {
		write(event.username(), "SIGN_IN_THROTTLED", event.username(), null,
				"address=" + event.address() + ", way=" + event.way() + ", refused until=" + event.until());
	}

	@EventListener
	@Transactional
	void on(TokenCreated event) {
		write(event.actor(), "TOKEN_CREATED", null, null, "token=" + event.name() + ", id=" + event.id() + ", scopes="
				+ event.scopes() + ", expires=" + ((event.expiresOn() != null) ? event.expiresOn() : "never"));
	}

	@EventListener
	@Transactional
	void on(TokenRevoked event) {
		write(event.actor(), "TOKEN_REVOKED", null, null, "token=" + event.name() + ", id=" + event.id());
	}

	@EventListener
	@Transactional
	void on(LicenseKeyApplied event) {
		write(event.actor(), "LICENSE_KEY_APPLIED", null, null,
				"serial=" + event.serial() + ", licensee=" + event.licensee() + ", Max_Users " + event.oldMaxUsers()
						+ " -> " + event.newMaxUsers() + ", Max_extranet_users " + event.oldMaxExtranetUsers() + " -> "
						+ event.newMaxExtranetUsers() + ", expires=" + event.expires() + ", request="
						+ event.request());
	}

	@EventListener
	@Transactional
	void on(SsoSignInRefused event) {
		write(event.actor(), "SSO_SIGN_IN_REFUSED", event.profile(), null,
				"provider=" + event.provider() + ", issuer=" + event.issuer() + ", subject=" + event.subject()
						+ ", claimed username=" + event.claimedUsername() + ", reason=" + event.reason() + ", "
						+ event.details());
	}

	@EventListener
	@Transactional
	void on(SsoSignInFailed event) {
		write(event.actor(), "SSO_SIGN_IN_FAILED", null, null, "provider=" + event.provider() + ", error="
				+ event.error() + ", address=" + event.address() + ", " + truncate(event.description(), 1500));
	}

	@EventListener
	@Transactional
	void on(LicenseKeyRejected event) {
		write(event.actor(), "LICENSE_KEY_REFUSED", null, null,
				"reason=" + event.reason() + ", serial=" + event.serial() + ", " + truncate(event.detail(), 1500));
	}

	@EventListener
	@Transactional
	void on(LicenseRequestFiled event) {
		write(event.actor(), "LICENSE_REQUEST_FILED", null, event.to().name(),
				"request=" + event.reference() + ", " + event.kind() + " " + event.amount()
						+ ((event.from() != null) ? " from " + event.from() : "") + " to " + event.to()
						+ ", vendor mail=" + event.vendorEmail());
	}

	@EventListener
	@Transactional
	void on(LicenseRequestWithdrawn event) {
		write(event.actor(), "LICENSE_REQUEST_WITHDRAWN", null, null, "request=" + event.reference());
	}

	@EventListener
	@Transactional
	void on(LicenseExpiring event) {
		write("system", "LICENSE_EXPIRING", null, null,
				"serial=" + event.serial() + ", expires=" + event.expires() + ", days left=" + event.daysLeft());
	}

	private static String truncate(String text, int max) {
		return (text == null || text.length() <= max) ? text : text.substring(0, max);
	}

	@EventListener
	@Transactional
	void on(SsoIdentityLinked event) {
		write(event.username(), "SSO_IDENTITY_LINKED", event.username(), null,
				"provider=" + event.provider() + ", issuer=" + event.issuer());
	}

	// SCIM provisioning: what a SCIM client changed besides where a profile stands.

	@EventListener
	@Transactional
	void on(ProfileAttributesChanged event) {
		write(event.actor(), "PROFILE_ATTRIBUTES_CHANGED", event.username(), null, "attributes=" + event.attributes());
	}

	@EventListener
	@Transactional
	void on(ProfileDeprovisioned event) {
		write(event.actor(), "PROFILE_DEPROVISIONED", event.username(), null, "kept blocked");
	}

	@EventListener
	@Transactional
	void on(ScimGroupChanged event) {
		write(event.actor(), "SCIM_GROUP_" + event.change(), null, null,
				"group=" + event.displayName() + ((event.details() != null) ? ", " + event.details() : ""));
	}

	private void write(String actor, String action, String subject, String pool, String details) {
		this.events.save(new AuditEvent(actor, action, subject, pool, details));
	}

	/**
	 * One line of the log as pages see it.
	 *
	 * @param id its id
	 * @param occurredAt when it happened
	 * @param actor who did it
	 * @param action what was done
	 * @param subject the username concerned, if one
	 * @param pool the pool concerned, if one
	 * @param details the rest
	 */
	public record AuditEntry(long id, Instant occurredAt, String actor, String action, String subject, String pool,
			String details) {
	}

}
