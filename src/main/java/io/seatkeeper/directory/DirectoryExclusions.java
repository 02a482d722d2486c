package io.seatkeeper.directory;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import io.seatkeeper.directory.DirectoryEvents.DirectoryAccountExcluded;
import io.seatkeeper.directory.DirectoryEvents.DirectoryExclusionRemoved;
import io.seatkeeper.people.ProfileEvents.ProfileDeleted;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The directory accounts whose profile an administrator deleted while the account may
 * still be in scope: later syncs skip them (and count them as {@code excluded}) rather
 * than create the profile again, until a sysadmin removes them from the list. The only
 * writer of {@code directory_exclusion}. A plain listener, in the deleting transaction:
 * the profile goes and the account is listed, or neither.
 */
@Component
class DirectoryExclusions {

	private final JdbcTemplate jdbc;

	private final ApplicationEventPublisher events;

	DirectoryExclusions(DataSource dataSource, ApplicationEventPublisher events) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.events = events;
	}

	@EventListener
	@Transactional
	void on(ProfileDeleted event) {
		if (event.directoryId() == null || event.directoryId().isEmpty()) {
			return;
		}
		this.jdbc.update("delete from directory_exclusion where directory_id = ?", event.directoryId());
		this.jdbc.update(
				"insert into directory_exclusion (directory_id, username, excluded_by, excluded_at) values (?, ?, ?, ?)",
				event.directoryId(), event.username(), event.actor(), Timestamp.from(Instant.now()));
		this.events.publishEvent(new DirectoryAccountExcluded(event.directoryId(), event.username(), event.actor()));
	}

	/**
	 * The stable ids on the list.
	 */
	Set<String> ids() {
		return new HashSet<>(this.jdbc.queryForList("select directory_id from directory_exclusion", String.class));
	}

	/**
	 * The list, newest first.
	 */
	List<Exclusion> list() {
		return this.jdbc.query(
				"select directory_id, username, excluded_by, excluded_at from directory_exclusion "
						+ "order by excluded_at desc, username",
				(rs, rowNum) -> new Exclusion(rs.getString("directory_id"), rs.getString("username"),
						rs.getString("excluded_by"), rs.getTimestamp("excluded_at").toInstant()));
	}

	/**
	 * Removes the account from the list; audited.
	 * @return whether it was on the list
	 */
	@Transactional
	boolean remove(String directoryId, String actor) {
		Optional<String> username = this.jdbc
			.queryForList("select username from directory_exclusion where directory_id = ?", String.class, directoryId)
			.stream()
			.findFirst();
		if (username.isEmpty()) {
			return false;
		}
		this.jdbc.update("delete from directory_exclusion where directory_id = ?", directoryId);
		this.events.publishEvent(new DirectoryExclusionRemoved(directoryId, username.get(), actor));
		return true;
	}

	/**
	 * An account on the list.
	 *
	 * @param directoryId the directory's stable id of the entry
	 * @param username the username of the profile that was deleted
	 * @param excludedBy who deleted it
	 * @param excludedAt when
	 */
	record Exclusion(String directoryId, String username, String excludedBy, Instant excludedAt) {
	}

}
