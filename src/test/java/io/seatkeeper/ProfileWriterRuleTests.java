package io.seatkeeper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one writer of profiles (PRODUCT.md R16), kept so: no class but
 * {@code people.ProfileLedger} takes or gives back licences at the gate, changes a
 * profile's standing, area, roles or details, saves or deletes a profile, or holds SQL
 * that writes the {@code profile} table. Spring Modulith's {@code ModularityTests} keeps
 * the modules' boundaries; these rules say what it cannot.
 */
class ProfileWriterRuleTests {

	static final String LEDGER = "io.seatkeeper.people.ProfileLedger";

	static final Pattern PROFILE_WRITE = Pattern.compile("(?i)\\b(insert\\s+into|update|delete\\s+from)\\s+profile\\b");

	private final JavaClasses main = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
		.importPackages("io.seatkeeper");

	@Test
	void onlyTheLedgerPassesTheGateForProfiles() {
		gateRule().check(this.main);
	}

	@Test
	void onlyTheLedgerChangesOrSavesAProfile() {
		writerRule().check(this.main);
	}

	@Test
	void onlyTheLedgerHoldsSqlThatWritesTheProfileTable() throws IOException {
		assertThat(sqlWriters(Path.of("src/main/java")))
			.containsExactly(Path.of("src/main/java/io/seatkeeper/people/ProfileLedger.java"));
	}

	@Test
	void theRulesCatchAWriterBesideTheLedger() throws Exception {
		JavaClasses rogue = new ClassFileImporter()
			.importClasses(Class.forName("io.seatkeeper.people.RogueProfileWriter"));
		EvaluationResult gate = gateRule().evaluate(rogue);
		EvaluationResult writer = writerRule().evaluate(rogue);
		assertThat(gate.hasViolation()).isTrue();
		assertThat(writer.hasViolation()).isTrue();
		assertThat(sqlWriters(Path.of("src/test/java/io/seatkeeper/people")))
			.contains(Path.of("src/test/java/io/seatkeeper/people/RogueProfileWriter.java"));
	}

	private static ArchRule gateRule() {
		return noClasses().that()
			.doNotHaveFullyQualifiedName(LEDGER)
			.and()
			.haveNameNotMatching(Pattern.quote(LEDGER) + "\\$.*")
			.and()
			.doNotHaveFullyQualifiedName("io.seatkeeper.license.LicenseService")
			.should()
			.callMethodWhere(com.tngtech.archunit.base.DescribedPredicate.describe(
					"the gate's acquire, acquireUpTo, " + "transfer or release",
					(call) -> call.getTargetOwner().getFullName().equals("io.seatkeeper.license.LicenseService")
							&& List.of("acquire", "acquireUpTo", "transfer", "release").contains(call.getName())))
			.because("the profile writer is the only caller of the gate for profiles (R16)");
	}

	private static ArchRule writerRule() {
		return noClasses().that()
			.doNotHaveFullyQualifiedName(LEDGER)
			.and()
			.haveNameNotMatching(Pattern.quote(LEDGER) + "\\$.*")
			.and()
			.doNotHaveFullyQualifiedName("io.seatkeeper.people.Profile")
			.should()
			.callMethodWhere(com.tngtech.archunit.base.DescribedPredicate.describe(
					"a change of a profile's standing, area, roles or details, or a save or delete of a profile",
					(call) -> (call.getTargetOwner().getFullName().equals("io.seatkeeper.people.Profile")
							&& List.of("change", "moveTo", "grantRoles", "changeDetails").contains(call.getName()))
							|| (call.getTargetOwner().getFullName().equals("io.seatkeeper.people.Profiles")
									&& List.of("save", "saveAndFlush", "delete", "saveAll", "deleteAll")
										.contains(call.getName()))))
			.because("the profile writer is the one writer of the profile table (R16)");
	}

	private static List<Path> sqlWriters(Path root) throws IOException {
		try (Stream<Path> files = Files.walk(root)) {
			return files.filter((file) -> file.toString().endsWith(".java")).filter((file) -> {
				try {
					return PROFILE_WRITE.matcher(Files.readString(file)).find();
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			}).sorted().toList();
		}
	}

}
