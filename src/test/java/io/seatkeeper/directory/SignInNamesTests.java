package io.seatkeeper.directory;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which names stand for which username at sign-in.
 */
class SignInNamesTests {

	final SignInNames names = SignInNames.of(properties(true, null, null),
			settings("OU=Staff,DC=corp,DC=example,DC=test"));

	@Test
	void theBaseDnGivesTheUpnSuffixAndTheNetbiosDomain() {
		assertThat(this.names.upnSuffixes()).containsExactly("corp.example.test");
		assertThat(this.names.domains()).containsExactly("CORP");
	}

	@Test
	void aUpnAndADomainNameStandForTheUsernameIgnoringCase() {
		assertThat(this.names.username("anna")).contains("anna");
		assertThat(this.names.username("anna@corp.example.test")).contains("anna");
		assertThat(this.names.username("Anna@CORP.Example.TEST")).contains("Anna");
		assertThat(this.names.username("CORP\\anna")).contains("anna");
		assertThat(this.names.username("corp\\anna")).contains("anna");
	}

	@Test
	void anotherSuffixOrDomainOrAMalformedNameStandsForNobody() {
		assertThat(this.names.username("anna@elsewhere.test")).isEmpty();
		assertThat(this.names.username("OTHER\\anna")).isEmpty();
		assertThat(this.names.username("CORP\\")).isEmpty();
		assertThat(this.names.username("@corp.example.test")).isEmpty();
		assertThat(this.names.username("CORP\\anna@corp.example.test")).isEmpty();
	}

	@Test
	void configuredSuffixesAndDomainsReplaceTheDefaultAndTheFormsCanBeTurnedOff() {
		SignInNames configured = SignInNames.of(
				properties(true, List.of("example.com", "corp.example.test"), List.of("EXAMPLE")),
				settings("DC=corp,DC=example,DC=test"));
		assertThat(configured.username("anna@example.com")).contains("anna");
		assertThat(configured.username("example\\anna")).contains("anna");
		assertThat(configured.username("CORP\\anna")).isEmpty();

		SignInNames off = SignInNames.of(properties(false, null, null), settings("DC=corp,DC=example,DC=test"));
		assertThat(off.username("anna@corp.example.test")).isEmpty();
		assertThat(off.username("CORP\\anna")).isEmpty();
		assertThat(off.username("anna")).contains("anna");
	}

	private static DirectoryProperties properties(boolean enabled, List<String> suffixes, List<String> domains) {
		return new DirectoryProperties(null, null, null, null, null, null, null, null, null, null, null, null, null,
				null, null, 500, 1000, java.time.Duration.ofHours(6), java.time.Duration.ofSeconds(10),
				java.time.Duration.ofMinutes(2), enabled, suffixes, domains, true, "-", null);
	}

	private static DirectorySettings settings(String baseDn) {
		return new DirectorySettings("ldap://dc", false, null, null, baseDn, null, null, null, null, null, null, null,
				null, false, 10, Set.of());
	}

}
