package io.seatkeeper.people;

import java.util.List;
import java.util.Optional;

import io.seatkeeper.people.ProfileEvents.AreaCreated;
import io.seatkeeper.people.ProfileEvents.AreaDeleted;
import io.seatkeeper.people.ProfileEvents.AreaRenamed;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The areas: the one Primary Area, and the Extranet areas that sysadmins create, rename
 * and delete when empty.
 */
@Service
public class AreaService {

	private final Areas areas;

	private final Profiles profiles;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transactions;

	AreaService(Areas areas, Profiles profiles, ApplicationEventPublisher events, TransactionTemplate transactions) {
		this.areas = areas;
		this.profiles = profiles;
		this.events = events;
		this.transactions = transactions;
	}

	/**
	 * Every area, the Primary Area first, with how many profiles each holds.
	 */
	public List<AreaView> list() {
		return this.transactions.execute((status) -> this.areas.findAllOrdered()
			.stream()
			.map((area) -> area.view(this.profiles.countInArea(area.id())))
			.toList());
	}

	/**
	 * Every area, the Primary Area first, its profiles not counted ({@code profiles()} is
	 * 0): the choices of a filter or a form and the names that a file or a directory
	 * refers to, at the cost of the few area rows, whatever the number of profiles.
	 */
	public List<AreaView> choices() {
		return this.transactions
			.execute((status) -> this.areas.findAllOrdered().stream().map((area) -> area.view(0)).toList());
	}

	/**
	 * Whether an area with that id exists; its profiles are not counted.
	 */
	public boolean exists(long id) {
		return Boolean.TRUE.equals(this.transactions.execute((status) -> this.areas.findById(id).isPresent()));
	}

	/**
	 * One area.
	 * @throws AreaNotFound if there is none with that id
	 */
	public AreaView get(long id) {
		return this.transactions.execute((status) -> this.areas.findById(id)
			.map((area) -> area.view(this.profiles.countInArea(area.id())))
			.orElseThrow(() -> new AreaNotFound(id)));
	}

	/**
	 * The area with that name, ignoring case; a blank name is the Primary Area.
	 */
	public Optional<AreaView> findByName(String name) {
		return this.transactions.execute((status) -> {
			Optional<Area> area = (name == null || name.isBlank()) ? Optional.of(this.areas.primary())
					: this.areas.findByNameKey(Area.key(name));
			return area.map((found) -> found.view(0));
		});
	}

	/**
	 * The area named {@code idOrName} (ignoring case) or, when no area has that name and
	 * it is a number, the area with that id; its profiles are not counted.
	 */
	public Optional<AreaView> findByIdOrName(String idOrName) {
		if (idOrName == null || idOrName.isBlank()) {
			return Optional.empty();
		}
		return this.transactions.execute((status) -> {
			Optional<Area> area = this.areas.findByNameKey(Area.key(idOrName));
			if (area.isEmpty() && idOrName.strip().matches("[0-9]{1,18}")) {
				area = this.areas.findById(Long.valueOf(idOrName.strip()));
			}
			return area.map((found) -> found.view(0));
		});
	}

	/**
	 * Creates an Extranet area.
	 * @throws AreaNameTaken if an area of that name exists, ignoring case
	 */
	public AreaView createExtranet(String name, String actor) {
		String clean = checkName(name);
		try {
			return this.transactions.execute((status) -> {
				if (this.areas.findByNameKey(Area.key(clean)).isPresent()) {
					throw new AreaNameTaken(clean);
				}
				Area area = this.areas.save(Area.extranet(clean));
				this.events.publishEvent(new AreaCreated(area.id(), area.name(), actor));
				return area.view(0);
			});
		}
		catch (DataIntegrityViolationException ex) {
			throw new AreaNameTaken(clean);
		}
	}

	/**
	 * Renames an Extranet area.
	 * @throws PrimaryAreaProtected for the Primary Area
	 */
	public AreaView rename(long id, String name, String actor) {
		String clean = checkName(name);
		try {
			return this.transactions.execute((status) -> {
				Area area = this.areas.findById(id).orElseThrow(() -> new AreaNotFound(id));
				if (area.kind() == AreaKind.PRIMARY) {
					throw new PrimaryAreaProtected();
				}
				this.areas.findByNameKey(Area.key(clean))
					.filter((other) -> !other.id().equals(area.id()))
					.ifPresent((other) -> {
						throw new AreaNameTaken(clean);
					});
				String old = area.name();
				area.rename(clean);
				this.areas.save(area);
				this.events.publishEvent(new AreaRenamed(area.id(), old, area.name(), actor));
				return area.view(this.profiles.countInArea(area.id()));
			});
		}
		catch (DataIntegrityViolationException ex) {
			throw new AreaNameTaken(clean);
		}
	}

	/**
	 * Deletes an empty Extranet area.
	 * @throws AreaNotEmpty if profiles are still in it
	 */
	public void delete(long id, String actor) {
		this.transactions.executeWithoutResult((status) -> {
			Area area = this.areas.findById(id).orElseThrow(() -> new AreaNotFound(id));
			if (area.kind() == AreaKind.PRIMARY) {
				throw new PrimaryAreaProtected();
			}
			long inside = this.profiles.countInArea(area.id());
			if (inside > 0) {
				throw new AreaNotEmpty(area.name(), inside);
			}
			this.areas.delete(area);
			this.events.publishEvent(new AreaDeleted(area.id(), area.name(), actor));
		});
	}

	private static String checkName(String name) {
		String clean = (name != null) ? name.strip() : "";
		if (clean.isEmpty()) {
			throw new InvalidProfileField("name", "area.name.required");
		}
		if (!ProfileRules.fits(clean, ProfileRules.AREA_NAME_MAX) || !ProfileRules.validName(clean)) {
			throw new InvalidProfileField("name", "area.name.invalid");
		}
		return clean;
	}

}
