package io.seatkeeper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;
import org.springframework.modulith.docs.Documenter.Options;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module boundaries: each feature package uses only what the others make public, and
 * no two modules depend on each other in a cycle.
 */
class ModularityTests {

	private static final Path DIAGRAMS = Path.of("target", "spring-modulith-docs");

	private final ApplicationModules modules = ApplicationModules.of(SeatkeeperApplication.class);

	@Test
	void modulesRespectTheirBoundaries() {
		this.modules.verify();
	}

	@Test
	void writesTheModuleDiagrams() throws IOException {
		new Documenter(this.modules, Options.defaults().withOutputFolder(DIAGRAMS.toString())).writeModulesAsPlantUml()
			.writeIndividualModulesAsPlantUml();

		String all = Files.readString(DIAGRAMS.resolve("components.puml"));
		assertThat(this.modules.stream()).extracting(ApplicationModule::getIdentifier)
			.extracting(Object::toString)
			.contains("audit", "directory", "license", "notification", "people", "sso", "system");
		for (ApplicationModule module : this.modules) {
			assertThat(all).contains(module.getDisplayName());
			Path own = DIAGRAMS.resolve("module-" + module.getIdentifier() + ".puml");
			assertThat(own).exists();
			assertThat(Files.readString(own)).contains(module.getDisplayName());
		}
	}

}
