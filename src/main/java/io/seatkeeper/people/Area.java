package io.seatkeeper.people;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.seatkeeper.license.Pool;

/**
 * An area of the site: the one Primary Area, or an Extranet area.
 */
@Entity
@Table(name = "area")
class Area {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(nullable = false)
	private String name;

	@Column(name = "name_key", nullable = false)
	private String nameKey;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false)
	private AreaKind kind;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	protected Area() {
	}

	static Area extranet(String name) {
		Area area = new Area();
		area.kind = AreaKind.EXTRANET;
		area.createdAt = Instant.now();
		area.rename(name);
		return area;
	}

	static String key(String name) {
		return ProfileRules.key(name);
	}

	void rename(String name) {
		this.name = name.strip();
		this.nameKey = key(name);
	}

	Long id() {
		return this.id;
	}

	String name() {
		return this.name;
	}

	AreaKind kind() {
		return this.kind;
	}

	Pool pool() {
		return this.kind.pool();
	}

	AreaView view(long profiles) {
		return new AreaView(this.id, this.name, this.kind, profiles);
	}

}
