package io.seatkeeper.directory;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The causes named from what JNDI throws, for those a test domain controller cannot
 * produce on demand.
 */
class DirectoryFailureTests {

	static final String AD = "[LDAP: error code 49 - 80090308: LdapErr: DSID-0C09030B, comment: AcceptSecurityContext error, data %s, v893]";

	@Test
	void activeDirectorysDataFieldNamesTheCauseOfARefusedBind() {
		assertThat(DirectoryFailure.bind(AD.formatted("52e"), "CN=a").code())
			.isEqualTo(DirectoryFailure.BAD_CREDENTIALS);
		assertThat(DirectoryFailure.bind(AD.formatted("525"), "CN=a").code())
			.isEqualTo(DirectoryFailure.BAD_CREDENTIALS);
		assertThat(DirectoryFailure.bind(AD.formatted("533"), "CN=a").code())
			.isEqualTo(DirectoryFailure.ACCOUNT_DISABLED);
		assertThat(DirectoryFailure.bind(AD.formatted("532"), "CN=a").code())
			.isEqualTo(DirectoryFailure.PASSWORD_EXPIRED);
		assertThat(DirectoryFailure.bind(AD.formatted("701"), "CN=a").code())
			.isEqualTo(DirectoryFailure.ACCOUNT_EXPIRED);
		assertThat(DirectoryFailure.bind(AD.formatted("773"), "CN=a").code())
			.isEqualTo(DirectoryFailure.PASSWORD_MUST_CHANGE);
		assertThat(DirectoryFailure.bind(AD.formatted("775"), "CN=a").code())
			.isEqualTo(DirectoryFailure.ACCOUNT_LOCKED);
		// OpenLDAP says no more than "Invalid Credentials".
		assertThat(DirectoryFailure.bind("[LDAP: error code 49 - Invalid Credentials]", "CN=a"))
			.isEqualTo(new DirectoryFailure(DirectoryFailure.BAD_CREDENTIALS, "CN=a"));
	}

	@Test
	void aJndiAuthenticationExceptionIsReadThroughItsWrappers() {
		RuntimeException thrown = new org.springframework.ldap.AuthenticationException(
				new javax.naming.AuthenticationException(AD.formatted("532")));

		assertThat(DirectoryFailure.of(thrown, settings("ldap://dc.example.org")).code())
			.isEqualTo(DirectoryFailure.PASSWORD_EXPIRED);
	}

	@Test
	void theAddressIsTheUrlsHostAndPortWithTheSchemesDefault() {
		assertThat(DirectoryFailure.address("ldap://dc.example.org")).isEqualTo("dc.example.org:389");
		assertThat(DirectoryFailure.address("ldaps://dc.example.org")).isEqualTo("dc.example.org:636");
		assertThat(DirectoryFailure.address("ldap://10.0.0.1:3268")).isEqualTo("10.0.0.1:3268");
		javax.naming.CommunicationException refused = new javax.naming.CommunicationException("10.0.0.1:3268");
		refused.setRootCause(new ConnectException("Connection refused"));

		assertThat(DirectoryFailure.of(new org.springframework.ldap.CommunicationException(refused),
				settings("ldap://10.0.0.1:3268")))
			.isEqualTo(new DirectoryFailure(DirectoryFailure.CONNECTION_REFUSED, "10.0.0.1:3268"));
	}

	private static DirectorySettings settings(String url) {
		return new DirectorySettings(url, false, "CN=sync", "secret", "DC=example,DC=org", null, null, null, null, null,
				null, null, null, false, 10, java.util.Set.of());
	}

}
