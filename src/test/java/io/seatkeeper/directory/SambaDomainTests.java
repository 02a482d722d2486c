package io.seatkeeper.directory;

import java.nio.file.Path;

import io.seatkeeper.directory.SambaDomain.Outcome;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test domain controller: when its tests run, skip or fail, and that its helpers do
 * what they say on the real DC.
 */
class SambaDomainTests {

	@Test
	void withoutSambaTheTestsAreSkippedWithTheInstallLine() {
		SambaDomain.Verdict verdict = SambaDomain.verdict(Path.of("/nowhere/samba"), Path.of("/nowhere/samba-tool"),
				false);

		assertThat(verdict.outcome()).isEqualTo(Outcome.SKIP);
		assertThat(verdict.reason()).contains("samba (/nowhere/samba)", SambaDomain.INSTALL, SambaDomain.REQUIRED);
	}

	@Test
	void withoutSambaButRequiredTheTestsFail() {
		SambaDomain.Verdict verdict = SambaDomain.verdict(Path.of("/nowhere/samba"), Path.of("/usr/bin/env"), true);

		assertThat(verdict.outcome()).isEqualTo(Outcome.FAIL);
		assertThat(verdict.reason()).contains(SambaDomain.REQUIRED + "=true", SambaDomain.INSTALL)
			.doesNotContain("samba-tool (");
	}

	@Test
	void theRequirementComesFromTheEnvironmentOrASystemProperty() {
		Path missing = Path.of("/nowhere");
		assertThat(SambaDomain.verdict((name) -> null, (name) -> SambaDomain.REQUIRED.equals(name) ? "true" : null)
			.outcome()).isIn(Outcome.FAIL, Outcome.RUN);
		assertThat(SambaDomain.verdict(missing, missing, false).outcome()).isEqualTo(Outcome.SKIP);
	}

	@Nested
	@SambaTest
	class OnTheDomainController {

		final SambaDomain dc = SambaDomain.shared();

		@Test
		void itsHelpersChangeTheDirectory() {
			this.dc.reset();
			String staff = this.dc.ou("HelperStaff");
			String other = this.dc.ou("HelperOther");
			String alice = this.dc.user(staff, "helper.alice");
			this.dc.users(staff, "bulk", 3);
			String group = this.dc.group(other, "Helper Group");
			this.dc.addMember(group, alice);

			assertThat(this.dc.count(staff, "(objectClass=user)")).isEqualTo(4);
			assertThat(this.dc.attribute(alice, "memberOf")).containsExactly(group);

			this.dc.disable("helper.alice");
			assertThat(this.dc.attribute(alice, "userAccountControl")).containsExactly("514");
			this.dc.enable("helper.alice");
			String moved = this.dc.move(alice, other);
			this.dc.rename(moved, "helper.alicia");
			assertThat(this.dc.attribute(moved, "sAMAccountName")).containsExactly("helper.alicia");

			this.dc.reset();
			assertThat(this.dc.count(SambaDomain.BASE, "(sAMAccountName=helper.alicia)")).isZero();
		}

	}

}
