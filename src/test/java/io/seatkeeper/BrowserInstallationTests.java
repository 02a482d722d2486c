package io.seatkeeper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import io.seatkeeper.BrowserInstallation.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The rule that decides whether the browser tests run, are skipped or fail, with fake
 * installations.
 */
class BrowserInstallationTests {

	@TempDir
	Path folder;

	@Test
	void runsWhenChromiumAndChromeDriverAreThere() throws IOException {
		BrowserInstallation installation = new BrowserInstallation(executable("chromium"), executable("chromedriver"),
				false);

		assertThat(installation.verdict().outcome()).isEqualTo(Outcome.RUN);
		assertThat(BrowserTest.Condition.evaluate(installation).isDisabled()).isFalse();
	}

	@Test
	void skipsNamingWhatIsMissingAndTheInstallLine() throws IOException {
		Path missing = this.folder.resolve("no-chromedriver");
		BrowserInstallation installation = new BrowserInstallation(executable("chromium"), missing, false);

		assertThat(installation.verdict().outcome()).isEqualTo(Outcome.SKIP);
		assertThat(BrowserTest.Condition.evaluate(installation).isDisabled()).isTrue();
		assertThat(BrowserTest.Condition.evaluate(installation).getReason())
			.hasValueSatisfying((reason) -> assertThat(reason).contains("ChromeDriver (" + missing + ") not found")
				.doesNotContain("Chromium (")
				.contains("apt-get install -y chromium chromium-driver"));
	}

	@Test
	void skipsWhenTheFileIsThereButCannotRun() throws IOException {
		Path notExecutable = Files.createFile(this.folder.resolve("chromium"));

		BrowserInstallation installation = new BrowserInstallation(notExecutable, executable("chromedriver"), false);

		assertThat(installation.verdict().outcome()).isEqualTo(Outcome.SKIP);
		assertThat(installation.verdict().reason()).contains("Chromium (" + notExecutable + ") not found");
	}

	@Test
	void failsWhenTheBrowserIsRequiredAndMissing() {
		BrowserInstallation installation = new BrowserInstallation(this.folder.resolve("chromium"),
				this.folder.resolve("chromedriver"), true);

		assertThat(installation.verdict().outcome()).isEqualTo(Outcome.FAIL);
		assertThatIllegalStateException().isThrownBy(() -> BrowserTest.Condition.evaluate(installation))
			.withMessageContaining("Chromium (")
			.withMessageContaining("ChromeDriver (")
			.withMessageContaining("SEATKEEPER_BROWSER_REQUIRED=true")
			.withMessageContaining("apt-get install -y chromium chromium-driver");
	}

	@Test
	void runsWhenRequiredAndThere() throws IOException {
		BrowserInstallation installation = new BrowserInstallation(executable("chromium"), executable("chromedriver"),
				true);

		assertThat(installation.verdict().outcome()).isEqualTo(Outcome.RUN);
	}

	@Test
	void readsPathsAndRequiredFromPropertiesThenEnvironmentThenDebiansDefaults() {
		BrowserInstallation defaults = BrowserInstallation.from(Map.<String, String>of()::get,
				Map.<String, String>of()::get);
		assertThat(defaults)
			.isEqualTo(new BrowserInstallation(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromedriver"), false));

		BrowserInstallation fromEnvironment = BrowserInstallation.from(Map.<String, String>of()::get, Map
			.of("SEATKEEPER_BROWSER_CHROMEDRIVER", "/opt/chromedriver", "SEATKEEPER_BROWSER_REQUIRED", "true")::get);
		assertThat(fromEnvironment)
			.isEqualTo(new BrowserInstallation(Path.of("/usr/bin/chromium"), Path.of("/opt/chromedriver"), true));

		BrowserInstallation fromProperties = BrowserInstallation.from(
				Map.of("seatkeeper.browser.chromium", "/opt/chromium", "seatkeeper.browser.required", "false")::get,
				Map.of("SEATKEEPER_BROWSER_CHROMIUM", "/elsewhere/chromium", "SEATKEEPER_BROWSER_REQUIRED",
						"true")::get);
		assertThat(fromProperties)
			.isEqualTo(new BrowserInstallation(Path.of("/opt/chromium"), Path.of("/usr/bin/chromedriver"), false));
	}

	private Path executable(String name) throws IOException {
		Path file = Files.createFile(this.folder.resolve(name));
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
		return file;
	}

}
