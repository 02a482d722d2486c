package io.seatkeeper.audit;

import java.time.Instant;
import java.util.List;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

interface AuditEvents extends Repository<AuditEvent, Long> {

	AuditEvent save(AuditEvent event);

	@Query("""
			select e from AuditEvent e
			where (:action is null or e.action = :action)
			  and (:actor is null or lower(e.actor) = :actor)
			  and (:subject is null or lower(e.subject) = :subject)
			  and (e.occurredAt >= :from)
			  and (e.occurredAt < :to)
			  and (:before is null or e.id < :before)
			order by e.id desc
			""")
	List<AuditEvent> search(String action, String actor, String subject, Instant from, Instant to, Long before,
			Limit limit);

	@Query("select distinct e.action from AuditEvent e order by e.action")
	List<String> actions();

}
