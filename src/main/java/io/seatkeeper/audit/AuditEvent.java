package io.seatkeeper.audit;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One line of the audit log. It names its subject by username, so it outlives a deleted
 * profile.
 */
@Entity
@Table(name = "audit_event")
class AuditEvent {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(name = "occurred_at", nullable = false)
	private Instant occurredAt;

	@Column(nullable = false)
	private String actor;

	@Column(nullable = false)
	private String action;

	private String subject;

	private String pool;

	private String details;

	protected AuditEvent() {
	}

	AuditEvent(String actor, String action, String subject, String pool, String details) {
		this.occurredAt = Instant.now();
		this.actor = truncate((actor != null) ? actor : "system", 64);
		this.action = action;
		this.subject = truncate(subject, 64);
		this.pool = pool;
		this.details = truncate(details, 2000);
	}

	private static String truncate(String value, int max) {
		return (value != null && value.length() > max) ? value.substring(0, max) : value;
	}

	Long getId() {
		return this.id;
	}

	public Instant getOccurredAt() {
		return this.occurredAt;
	}

	public String getActor() {
		return this.actor;
	}

	public String getAction() {
		return this.action;
	}

	public String getSubject() {
		return this.subject;
	}

	public String getPool() {
		return this.pool;
	}

	public String getDetails() {
		return this.details;
	}

}
