package io.seatkeeper.people;

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
		StringBuilder jpql = new StringBuilder("select p from Profile p join fetch p.area where 1 = 1");
		Map<String, Object> parameters = new HashMap<>();
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
			}
		}
		if (query.after() != null && !query.after().isBlank()) {
			jpql.append(" and p.usernameKey > :after");
			parameters.put("after", query.after().toLowerCase(Locale.ROOT));
		}
		jpql.append(" order by p.usernameKey");
		TypedQuery<Profile> typed = this.entityManager.createQuery(jpql.toString(), Profile.class);
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

	private static String escapeLike(String text) {
		return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
	}

}
