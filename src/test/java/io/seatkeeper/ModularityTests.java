package io.seatkeeper;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The module boundaries: each feature package uses only what the others make public, and
 * no two modules depend on each other in a cycle.
 */
class ModularityTests {

	private final ApplicationModules modules = ApplicationModules.of(SeatkeeperApplication.class);

	@Test
	void modulesRespectTheirBoundaries() {
		this.modules.verify();
	}

	@Test
	void writesTheModuleDiagrams() {
		new Documenter(this.modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
	}

}
