package io.seatkeeper.sso;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The names of {@code seatkeeper.sso.*} as a deployment writes them, bound as Spring Boot
 * binds them: the per-provider settings and their fall-back to the global ones, keys with
 * {@code /} and {@code .}, and a mapping that contradicts itself.
 */
class SsoPropertiesTests {

	@Test
	void providerSettingsFallBackToTheGlobalOnesAndItsMapsReplaceTheGlobalMaps() {
		SsoProperties properties = bind(Map.of("seatkeeper.sso.area-claim", "groups", "seatkeeper.sso.areas.partners",
				"Partners", "seatkeeper.sso.role-claim", "groups", "seatkeeper.sso.roles.admins", "SYSADMIN",
				"seatkeeper.sso.providers.entra.role-claim", "roles",
				"seatkeeper.sso.providers.entra.roles.[Seatkeeper.Admin]", "SYSADMIN,PEOPLE_ADMIN",
				"seatkeeper.sso.providers.entra.refresh-profile", "false",
				"seatkeeper.sso.providers.entra.username-claim", "upn"));

		SsoMapping entra = properties.mapping("entra");
		assertThat(entra.usernameClaim()).isEqualTo("upn");
		assertThat(entra.emailClaim()).isEqualTo("email");
		assertThat(entra.refreshProfile()).isFalse();
		assertThat(entra.roles(Map.of("roles", List.of("seatkeeper.admin"), "groups", List.of("admins"))))
			.containsExactlyInAnyOrder(SsoRole.SYSADMIN, SsoRole.PEOPLE_ADMIN);
		assertThat(entra.areaNames(Map.of("groups", List.of("/Partners")))).containsExactly("Partners");

		SsoMapping other = properties.mapping("corporate");
		assertThat(other.usernameClaim()).isEqualTo("preferred_username");
		assertThat(other.refreshProfile()).isTrue();
		assertThat(other.roles(Map.of("groups", "/ADMINS"))).containsExactly(SsoRole.SYSADMIN);
	}

	@Test
	void emptyClaimSwitchesAMappingOffForOneProvider() {
		SsoProperties properties = bind(Map.of("seatkeeper.sso.role-claim", "groups", "seatkeeper.sso.roles.admins",
				"SYSADMIN", "seatkeeper.sso.providers.guests.role-claim", ""));

		assertThat(properties.mapping("guests").mapsRoles()).isFalse();
		assertThat(properties.mapping("corporate").mapsRoles()).isTrue();
	}

	@Test
	void rolesAreOffAndProfilesRefreshedByDefault() {
		SsoMapping mapping = bind(Map.of()).mapping("corporate");

		assertThat(mapping.mapsRoles()).isFalse();
		assertThat(mapping.refreshProfile()).isTrue();
		assertThat(mapping.allowLinking()).isFalse();
	}

	@Test
	void keysThatAreTheSameValueMappedToDifferentAreasAreRefused() {
		SsoProperties properties = bind(Map.of("seatkeeper.sso.area-claim", "groups", "seatkeeper.sso.areas.partners",
				"Partners", "seatkeeper.sso.areas.[/PARTNERS]", "Suppliers"));

		assertThatIllegalStateException().isThrownBy(() -> properties.mapping("corporate"))
			.withMessageContaining("'partners'")
			.withMessageContaining("Partners")
			.withMessageContaining("Suppliers");
	}

	@Test
	void roleThatSeatkeeperDoesNotHaveIsRefusedNamingTheSetting() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("seatkeeper.sso.providers.corporate.roles.admins", "ADMINISTRATOR")))
			.withMessageContaining("seatkeeper.sso.providers.corporate.roles.admins");
	}

	private static SsoProperties bind(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(new HashMap<>(values))).bindOrCreate("seatkeeper.sso",
				SsoProperties.class);
	}

}
