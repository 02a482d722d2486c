package io.seatkeeper.session;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.jdbc.PostgreSqlJdbcIndexedSessionRepositoryCustomizer;

/**
 * A session attribute is written as an upsert, not a plain insert. Two requests of one
 * session that run at once (a page and the requests it starts, or two nodes behind a
 * round-robin balancer) may each add the same new attribute, such as the CSRF token a
 * fresh session renders first: with a plain insert the second commit fails on the
 * attributes' primary key and its request ends in an error. With the upsert the later
 * write wins, as it does for an attribute that was already there.
 */
@Configuration(proxyBeanMethods = false)
class SessionAttributeWrites {

	/** H2's upsert of an attribute row. */
	static final String H2_CREATE_ATTRIBUTE = """
			MERGE INTO %TABLE_NAME%_ATTRIBUTES (SESSION_PRIMARY_ID, ATTRIBUTE_NAME, ATTRIBUTE_BYTES)
			KEY (SESSION_PRIMARY_ID, ATTRIBUTE_NAME)
			VALUES (?, ?, ?)
			""";

	@Bean
	SessionRepositoryCustomizer<JdbcIndexedSessionRepository> attributeUpserts(DataSource dataSource) {
		String database = new JdbcTemplate(dataSource)
			.execute((ConnectionCallback<String>) (connection) -> connection.getMetaData().getDatabaseProductName());
		if ("PostgreSQL".equals(database)) {
			return new PostgreSqlJdbcIndexedSessionRepositoryCustomizer();
		}
		if ("H2".equals(database)) {
			return (repository) -> repository.setCreateSessionAttributeQuery(H2_CREATE_ATTRIBUTE);
		}
		return (repository) -> {
		};
	}

}
