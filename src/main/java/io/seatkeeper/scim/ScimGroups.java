package io.seatkeeper.scim;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ResourceConflictException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;
import io.seatkeeper.people.AreaService;
import io.seatkeeper.people.AreaView;
import io.seatkeeper.people.ProvisionedAccounts;
import io.seatkeeper.scim.UserResources.GroupRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The SCIM groups and their members: the one writer of {@code scim_group} and
 * {@code scim_group_member}. A change of a group's members (or of its name) places each
 * member whose mapped area changes in that area, through the profile writer and its
 * licence gate, in the same transaction: a refusal (the pool full, with
 * {@code when-full=refuse}) rolls the group change back too.
 */
@Service
class ScimGroups {

	private static final Logger logger = LoggerFactory.getLogger(ScimGroups.class);

	private static final String COLUMNS = "id, display_name, external_id, created_at, updated_at, version";

	private final JdbcTemplate jdbc;

	private final ProvisionedAccounts accounts;

	private final AreaService areas;

	private final ScimProperties properties;

	private final ApplicationEventPublisher events;

	private final Set<String> unknownAreas = ConcurrentHashMap.newKeySet();

	ScimGroups(DataSource dataSource, ProvisionedAccounts accounts, AreaService areas, ScimProperties properties,
			ApplicationEventPublisher events) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.accounts = accounts;
		this.areas = areas;
		this.properties = properties;
		this.events = events;
	}

	/**
	 * The group with that id, with its members when asked.
	 */
	@Transactional(readOnly = true)
	public Optional<Group> find(long id, boolean withMembers) {
		return this.jdbc.query("select " + COLUMNS + " from scim_group where id = ?", ScimGroups::group, id)
			.stream()
			.findFirst()
			.map((group) -> withMembers ? group.with(members(group.id())) : group);
	}

	/**
	 * The groups, in id order, or the one with that display name (ignoring case).
	 */
	@Transactional(readOnly = true)
	public List<Group> list(String displayName, boolean withMembers) {
		List<Group> groups = (displayName != null)
				? this.jdbc.query("select " + COLUMNS + " from scim_group where display_name_key = ? order by id",
						ScimGroups::group, key(displayName))
				: this.jdbc.query("select " + COLUMNS + " from scim_group order by id", ScimGroups::group);
		return withMembers ? groups.stream().map((group) -> group.with(members(group.id()))).toList() : groups;
	}

	/**
	 * The groups the user is a member of.
	 */
	@Transactional(readOnly = true)
	public List<GroupRef> groupsOf(long profileId) {
		return this.jdbc.query(
				"select g.id, g.display_name from scim_group g join scim_group_member m on m.group_id = g.id "
						+ "where m.profile_id = ? order by g.id",
				(rs, n) -> new GroupRef(rs.getLong(1), rs.getString(2)), profileId);
	}

	/**
	 * Creates a group with its members, and places them in its mapped area.
	 */
	@Transactional(rollbackFor = Exception.class)
	public Group create(String displayName, String externalId, List<String> members, String actor)
			throws ScimException {
		String name = checkName(displayName);
		if (!list(name, false).isEmpty()) {
			throw ResourceConflictException.uniqueness("A group named " + name + " exists already");
		}
		checkExternalId(externalId, null);
		List<Long> ids = checkMembers(members);
		Timestamp now = Timestamp.from(Instant.now());
		try {
			this.jdbc
				.update("insert into scim_group (display_name, display_name_key, external_id, created_at, updated_at) "
						+ "values (?, ?, ?, ?, ?)", name, key(name), externalId, now, now);
		}
		catch (DuplicateKeyException ex) {
			throw ResourceConflictException.uniqueness("A group named " + name + " exists already");
		}
		long id = this.jdbc.queryForObject("select id from scim_group where display_name_key = ?", Long.class,
				key(name));
		addMembers(id, ids);
		this.events.publishEvent(new ScimGroupChanged("CREATED", name, "members=" + ids.size(), actor));
		place(ids, actor);
		return find(id, true).orElseThrow();
	}

	/**
	 * Sets a group's name, external id and members; members added and removed are placed
	 * in their areas.
	 */
	@Transactional(rollbackFor = Exception.class)
	public Group replace(long id, String displayName, String externalId, List<String> members, String actor)
			throws ScimException {
		Group group = lock(id);
		String name = checkName(displayName);
		if (!key(name).equals(key(group.displayName()))
				&& list(name, false).stream().anyMatch((other) -> other.id() != id)) {
			throw ResourceConflictException.uniqueness("A group named " + name + " exists already");
		}
		checkExternalId(externalId, id);
		Set<Long> wanted = new LinkedHashSet<>(checkMembers(members));
		Set<Long> before = new LinkedHashSet<>(memberIds(id));
		List<Long> added = wanted.stream().filter((member) -> !before.contains(member)).toList();
		List<Long> removed = before.stream().filter((member) -> !wanted.contains(member)).toList();
		try {
			this.jdbc.update(
					"update scim_group set display_name = ?, display_name_key = ?, external_id = ?, updated_at = ?, "
							+ "version = version + 1 where id = ?",
					name, key(name), externalId, Timestamp.from(Instant.now()), id);
		}
		catch (DuplicateKeyException ex) {
			throw ResourceConflictException.uniqueness("A group named " + name + " exists already");
		}
		removeMembers(id, removed);
		addMembers(id, added);
		boolean renamed = !name.equals(group.displayName());
		this.events.publishEvent(new ScimGroupChanged("CHANGED", name, "members added=" + added.size() + ", removed="
				+ removed.size() + (renamed ? ", renamed from " + group.displayName() : ""), actor));
		Set<Long> affected = new TreeSet<>(renamed ? wanted : Set.copyOf(added));
		affected.addAll(removed);
		place(affected, actor);
		return find(id, true).orElseThrow();
	}

	/**
	 * Changes a group as {@code change} says, given the group as it is, locked.
	 */
	@Transactional(rollbackFor = Exception.class)
	public Group modify(long id, GroupChange change, String actor) throws ScimException {
		Group group = lock(id);
		Wanted wanted = change.apply(group);
		return replace(id, wanted.displayName(), wanted.externalId(), wanted.members(), actor);
	}

	/**
	 * Deletes a group; its members are placed as their other groups say.
	 */
	@Transactional(rollbackFor = Exception.class)
	public void delete(long id, String actor) throws ScimException {
		Group group = lock(id);
		List<Long> members = memberIds(id);
		this.jdbc.update("delete from scim_group_member where group_id = ?", id);
		this.jdbc.update("delete from scim_group where id = ?", id);
		this.events.publishEvent(new ScimGroupChanged("DELETED", group.displayName(), null, actor));
		place(members, actor);
	}

	/**
	 * A user deleted by its client leaves its groups, then is deleted or kept blocked.
	 */
	@Transactional(rollbackFor = Exception.class)
	public void deleteUser(long profileId, boolean keep, String actor) {
		this.jdbc.update("delete from scim_group_member where profile_id = ?", profileId);
		this.accounts.delete(profileId, keep, actor);
	}

	/**
	 * The group locked for a change.
	 */
	Group lock(long id) throws ScimException {
		List<Long> found = this.jdbc.queryForList("select id from scim_group where id = ? for update", Long.class, id);
		if (found.isEmpty()) {
			throw new ResourceNotFoundException("No group has the id " + id);
		}
		return find(id, true).orElseThrow();
	}

	/**
	 * Places the users in the area their groups map to, the Primary Area when none does.
	 */
	void place(Collection<Long> profileIds, String actor) {
		if (profileIds.isEmpty()) {
			return;
		}
		Map<Long, Set<String>> groups = new HashMap<>();
		for (Long id : profileIds) {
			groups.put(id, new HashSet<>());
		}
		for (List<Long> chunk : chunks(new ArrayList<>(profileIds))) {
			this.jdbc.query("select m.profile_id, g.display_name_key from scim_group_member m "
					+ "join scim_group g on g.id = m.group_id where m.profile_id in (" + placeholders(chunk.size())
					+ ")", (ResultSet rs) -> {
						groups.get(rs.getLong(1)).add(rs.getString(2));
					}, chunk.toArray());
		}
		List<AreaView> all = this.areas.choices();
		long primary = all.stream().filter(AreaView::primary).findFirst().orElseThrow().id();
		Map<Long, Long> target = new HashMap<>();
		groups.forEach((profile, keys) -> target.put(profile, areaFor(keys, all, primary)));
		this.accounts.place(target, this.properties.queues(), actor);
	}

	private long areaFor(Set<String> groupKeys, List<AreaView> all, long primary) {
		for (Map.Entry<String, String> mapping : this.properties.areas().entrySet()) {
			if (groupKeys.contains(key(mapping.getKey()))) {
				Optional<AreaView> area = all.stream()
					.filter((candidate) -> candidate.name().equalsIgnoreCase(mapping.getValue().strip()))
					.findFirst();
				if (area.isPresent()) {
					return area.get().id();
				}
				if (this.unknownAreas.add(mapping.getValue())) {
					logger.warn("seatkeeper.scim.areas maps the group {} to the area {}, which does not exist",
							mapping.getKey(), mapping.getValue());
				}
			}
		}
		return primary;
	}

	private List<Member> members(long groupId) {
		return this.jdbc.query(
				"select p.id, p.username from scim_group_member m join profile p on p.id = m.profile_id "
						+ "where m.group_id = ? order by p.id",
				(rs, n) -> new Member(rs.getLong(1), rs.getString(2)), groupId);
	}

	private List<Long> memberIds(long groupId) {
		return this.jdbc.queryForList("select profile_id from scim_group_member where group_id = ? order by profile_id",
				Long.class, groupId);
	}

	private void addMembers(long groupId, Collection<Long> ids) {
		this.jdbc.batchUpdate("insert into scim_group_member (group_id, profile_id) values (?, ?)",
				ids.stream().sorted().map((id) -> new Object[] { groupId, id }).toList());
	}

	private void removeMembers(long groupId, Collection<Long> ids) {
		this.jdbc.batchUpdate("delete from scim_group_member where group_id = ? and profile_id = ?",
				ids.stream().sorted().map((id) -> new Object[] { groupId, id }).toList());
	}

	private List<Long> checkMembers(List<String> members) throws ScimException {
		List<Long> ids = new ArrayList<>();
		List<String> unknown = new ArrayList<>();
		for (String member : members) {
			try {
				ids.add(Long.parseLong(member.strip()));
			}
			catch (NumberFormatException ex) {
				unknown.add(member);
			}
		}
		List<Long> distinct = ids.stream().distinct().toList();
		if (!distinct.isEmpty()) {
			Set<Long> visible = Set.copyOf(this.accounts.visible(distinct));
			distinct.stream().filter((id) -> !visible.contains(id)).forEach((id) -> unknown.add(String.valueOf(id)));
		}
		if (!unknown.isEmpty()) {
			throw BadRequestException.invalidValue("No user has the id " + String.join(", ", unknown)
					+ " (a member must be a user of this endpoint; nested groups are not supported)");
		}
		return distinct;
	}

	private void checkExternalId(String externalId, Long self) throws ScimException {
		if (externalId == null) {
			return;
		}
		if (externalId.length() > 255) {
			throw BadRequestException.invalidValue("externalId is longer than 255 characters");
		}
		List<Long> owners = this.jdbc.queryForList("select id from scim_group where external_id = ?", Long.class,
				externalId);
		if (owners.stream().anyMatch((owner) -> !owner.equals(self))) {
			throw ResourceConflictException.uniqueness("Another group has the externalId " + externalId);
		}
	}

	private static String checkName(String displayName) throws ScimException {
		if (displayName == null || displayName.isBlank()) {
			throw BadRequestException.invalidValue("displayName is required");
		}
		String name = displayName.strip();
		if (name.length() > 255) {
			throw BadRequestException.invalidValue("displayName is longer than 255 characters");
		}
		return name;
	}

	static String key(String displayName) {
		return displayName.strip().toLowerCase(Locale.ROOT);
	}

	private static List<List<Long>> chunks(List<Long> ids) {
		List<List<Long>> chunks = new ArrayList<>();
		for (int i = 0; i < ids.size(); i += 500) {
			chunks.add(ids.subList(i, Math.min(ids.size(), i + 500)));
		}
		return chunks;
	}

	private static String placeholders(int count) {
		return String.join(", ", Collections.nCopies(count, "?"));
	}

	private static Group group(ResultSet rs, int rowNum) throws SQLException {
		return new Group(rs.getLong("id"), rs.getString("display_name"), rs.getString("external_id"),
				rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
				rs.getLong("version"), null);
	}

	/**
	 * A group as stored; {@code members} is {@code null} when they were not read.
	 */
	record Group(long id, String displayName, String externalId, Instant createdAt, Instant updatedAt, long version,
			List<Member> members) {

		Group with(List<Member> members) {
			return new Group(this.id, this.displayName, this.externalId, this.createdAt, this.updatedAt, this.version,
					members);
		}

	}

	/**
	 * What a group should become.
	 */
	record Wanted(String displayName, String externalId, List<String> members) {
	}

	/**
	 * A change of a group, from the group as it is.
	 */
	interface GroupChange {

		Wanted apply(Group current) throws ScimException;

	}

	/**
	 * A member of a group: a provisioned user.
	 */
	record Member(long id, String username) {
	}

}
