package io.seatkeeper.people;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The people list's query: keyset paging in username order (no offset, no total count),
 * prefix matches on lower-cased, indexed keys, so that a page costs the same at a million
 * rows as at a hundred.
 */
@Component
class ProfileSearch {

	private final EntityManager entityManager;

	ProfileSearch(EntityManager entityManager) {
		this.entityManager = entityManager;
	}

	@Transactional(readOnly = true)
	ProfileSlice search(ProfileQuery query) {
		Map<String, Object> parameters = new HashMap<>();
		String where = where(query, parameters);
		if (query.after() != null && !query.after().isBlank()) {
			where += " and p.usernameKey > :after";
			parameters.put("after", query.after().toLowerCase(Locale.ROOT));
		}
		TypedQuery<Profile> typed = this.entityManager.createQuery(
				"select p from Profile p join fetch p.area where " + where + " order by p.usernameKey", Profile.class);
		parameters.forEach(typed::setParameter);
		typed.setMaxResults(query.size() + 1);
		List<Profile> rows = typed.getResultList();
		List<ProfileView> page = new ArrayList<>();
		for (int i = 0; i < Math.min(rows.size(), query.size()); i++) {
			page.add(rows.get(i).view());
		}
		String nextAfter = (rows.size() > query.size()) ? Profile.usernameKey(page.get(page.size() - 1).username())
				: null;
		return new ProfileSlice(page, nextAfter);
	}

	/**
	 * One page of the query's matches in id order, from the id after {@code afterId} on
	 * (keyset paging for the API: the primary key, or the state's and the area's
	 * {@code (…, id)} indexes, serve it at any depth); the query's {@code after} and
	 * {@code size} are not used.
	 */
	@Transactional(readOnly = true)
	ProfilePage pageById(ProfileQuery query, Long afterId, int limit) {
		Map<String, Object> parameters = new HashMap<>();
		String where = where(query, parameters);
		if (afterId != null) {
			where += " and p.id > :afterId";
			parameters.put("afterId", afterId);
		}
		TypedQuery<Profile> typed = this.entityManager
			.createQuery("select p from Profile p join fetch p.area where " + where + " order by p.id", Profile.class);
		parameters.forEach(typed::setParameter);
		typed.setMaxResults(limit + 1);
		List<Profile> rows = typed.getResultList();
		List<ProfileView> page = new ArrayList<>();
		for (int i = 0; i < Math.min(rows.size(), limit); i++) {
			page.add(rows.get(i).view());
		}
		Long nextAfter = (rows.size() > limit) ? page.get(page.size() - 1).id() : null;
		return new ProfilePage(page, nextAfter);
	}

	/**
	 * The ids of every profile that matches the query's filters, whatever the page.
	 */
	@Transactional(readOnly = true)
	List<Long> ids(ProfileQuery query) {
		Map<String, Object> parameters = new HashMap<>();
		TypedQuery<Long> typed = this.entityManager.createQuery(
				"select p.id from Profile p where " + where(query, parameters) + " order by p.usernameKey", Long.class);
		parameters.forEach(typed::setParameter);
		return typed.getResultList();
	}

	/**
	 * How many profiles match the query's filters, counted no further than {@code cap}:
	 * the people list says "10,000+" beyond it, so the count costs the same at a million
	 * profiles as at ten thousand.
	 */
	@Transactional(readOnly = true)
	long countUpTo(ProfileQuery query, int cap) {
		Map<String, Object> parameters = new HashMap<>();
		TypedQuery<Long> typed = this.entityManager
			.createQuery("select p.id from Profile p where " + where(query, parameters), Long.class);
		parameters.forEach(typed::setParameter);
		typed.setMaxResults(cap);
		return typed.getResultList().size();
	}

	private static String where(ProfileQuery query, Map<String, Object> parameters) {
		StringBuilder jpql = new StringBuilder("1 = 1");
		String text = (query.text() != null) ? query.text().strip().toLowerCase(Locale.ROOT) : "";
		if (!text.isEmpty()) {
			String prefix = escapeLike(text) + "%";
			jpql.append(" and (p.usernameKey like :prefix escape '\\' or p.emailKey like :prefix escape '\\'"
					+ " or p.firstNameKey like :prefix escape '\\' or p.lastNameKey like :prefix escape '\\'");
			parameters.put("prefix", prefix);
			int space = text.indexOf(' ');
			if (space > 0) {
				jpql.append(" or (p.firstNameKey = :first and p.lastNameKey like :lastPrefix escape '\\')");
				parameters.put("first", text.substring(0, space));
				parameters.put("lastPrefix", escapeLike(text.substring(space + 1).strip()) + "%");
			}
			jpql.append(")");
		}
		if (query.areaId() != null) {
			jpql.append(" and p.area.id = :areaId");
			parameters.put("areaId", query.areaId());
		}
		if (query.state() != null) {
			switch (query.state()) {
				case ACTIVE -> jpql.append(" and p.state = io.seatkeeper.people.ProfileState.ACTIVE");
				case BLOCKED -> jpql.append(" and p.state = io.seatkeeper.people.ProfileState.BLOCKED");
				case AWAITING -> jpql.append(" and p.state = io.seatkeeper.people.ProfileState.BLOCKED"
						+ " and p.blockReason = io.seatkeeper.people.BlockReason.AWAITING_LICENSE");
				case DORMANT -> jpql.append(" and p.state = io.seatkeeper.people.ProfileState.BLOCKED"
						+ " and p.blockReason = io.seatkeeper.people.BlockReason.DORMANT");
			}
		}
		if (query.dormantDays() != null) {
			jpql.append(" and ((p.lastSignInAt is null and p.createdAt < :dormantSince)"
					+ " or p.lastSignInAt < :dormantSince)");
			parameters.put("dormantSince", Instant.now().minus(Duration.ofDays(query.dormantDays())));
		}
		return jpql.toString();
	}

	private static String escapeLike(String text) {
		return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
	}

}
