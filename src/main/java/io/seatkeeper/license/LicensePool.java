package io.seatkeeper.license;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A pool's row: its maximum and the number of active profiles that hold one of its
 * licences. The count changes only under this row's lock, in the transaction that changes
 * the profile.
 */
@Entity
@Table(name = "license_pool")
class LicensePool {

	@Id
	@Enumerated(EnumType.STRING)
	private Pool pool;

	@Column(name = "max_users", nullable = false)
	private int maxUsers;

	@Column(name = "active_count", nullable = false)
	private int activeCount;

	@Column(name = "updated_at", nullable = false)
	private Instant updatedAt;

	@Column(name = "expires_on")
	private LocalDate expiresOn;

	protected LicensePool() {
	}

	LicensePool(Pool pool, int maxUsers) {
		this.pool = pool;
		this.maxUsers = maxUsers;
		this.activeCount = 0;
		this.updatedAt = Instant.now();
	}

	Pool pool() {
		return this.pool;
	}

	int maxUsers() {
		return this.maxUsers;
	}

	int activeCount() {
		return this.activeCount;
	}

	int available() {
		return Math.max(0, this.maxUsers - this.activeCount);
	}

	LocalDate expiresOn() {
		return this.expiresOn;
	}

	/**
	 * Whether the licence expired: after its last valid day, no profile may become
	 * active.
	 */
	boolean expired(LocalDate today) {
		return this.expiresOn != null && today.isAfter(this.expiresOn);
	}

	/**
	 * Sets the maximum and the expiry a licence key gives. Applied even below the active
	 * count: nobody is blocked, and the gate refuses activations until it is back under.
	 */
	void license(int maxUsers, LocalDate expiresOn) {
		this.maxUsers = maxUsers;
		this.expiresOn = expiresOn;
		this.updatedAt = Instant.now();
	}

	boolean canTake(int count) {
		return (long) this.activeCount + count <= this.maxUsers;
	}

	void take(int count) {
		this.activeCount += count;
		this.updatedAt = Instant.now();
	}

	void giveBack(int count) {
		if (count > this.activeCount) {
			throw new IllegalStateException("Pool " + this.pool + " would count fewer than zero active profiles");
		}
		this.activeCount -= count;
		this.updatedAt = Instant.now();
	}

}
