package io.seatkeeper.sso;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One provider's subject, linked to one profile.
 */
@Entity
@Table(name = "sso_identity")
class SsoIdentity {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(nullable = false)
	private String issuer;

	@Column(nullable = false)
	private String subject;

	@Column(name = "profile_id", nullable = false)
	private long profileId;

	@Column(name = "registration_id", nullable = false)
	private String registrationId;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	protected SsoIdentity() {
	}

	SsoIdentity(String issuer, String subject, long profileId, String registrationId) {
		this.issuer = issuer;
		this.subject = subject;
		this.profileId = profileId;
		this.registrationId = registrationId;
		this.createdAt = Instant.now();
	}

	long profileId() {
		return this.profileId;
	}

}
