package io.seatkeeper.session;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two requests of one session that both add the same new attribute, as two requests of a
 * fresh session do with its CSRF token when they run at once (on one node or on two):
 * both are saved, the later write wins, and nothing fails on the attributes' key.
 */
@SpringBootTest
@Tag("database")
class SessionAttributeWritesTests {

	@Autowired
	SessionRepository<? extends Session> sessions;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void theSameNewAttributeAddedByTwoRequestsAtOnceIsSavedAndTheLaterWriteWins() {
		addedTwiceAtOnce(this.sessions);
	}

	private <S extends Session> void addedTwiceAtOnce(SessionRepository<S> sessions) {
		S session = sessions.createSession();
		sessions.save(session);
		// Each request has loaded the session before either saved it.
		S first = sessions.findById(session.getId());
		S second = sessions.findById(session.getId());
		first.setAttribute("token", "from the first request");
		second.setAttribute("token", "from the second request");

		sessions.save(first);
		sessions.save(second);

		assertThat(sessions.findById(session.getId()).<String>getAttribute("token"))
			.isEqualTo("from the second request");
		assertThat(this.jdbc.queryForObject("select count(*) from spring_session_attributes a join spring_session s "
				+ "on s.primary_id = a.session_primary_id where s.session_id = ? and a.attribute_name = 'token'",
				Integer.class, session.getId()))
			.isEqualTo(1);
		sessions.deleteById(session.getId());
	}

}
