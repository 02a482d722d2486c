package io.seatkeeper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Where the browser tests find Chromium and ChromeDriver, and what they do when either is
 * missing: skip, with the reason and the install line, on a developer's machine; fail
 * when {@code SEATKEEPER_BROWSER_REQUIRED=true} (set by {@code .ci/run}), so that CI
 * never passes without them.
 * <p>
 * The paths default to Debian's {@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver}; the system properties
 * {@code seatkeeper.browser.chromium} and {@code seatkeeper.browser.chromedriver}, or the
 * environment variables {@code SEATKEEPER_BROWSER_CHROMIUM} and
 * {@code SEATKEEPER_BROWSER_CHROMEDRIVER}, point elsewhere.
 * {@code seatkeeper.browser.required} may stand for the environment variable.
 */
public record BrowserInstallation(Path chromium, Path chromedriver, boolean required) {

	/** The line that installs both on Debian or Ubuntu. */
	public static final String INSTALL = "apt-get install -y chromium chromium-driver";

	/** The environment variable that makes a missing browser a failure. */
	public static final String REQUIRED = "SEATKEEPER_BROWSER_REQUIRED";

	/**
	 * The installation as this test run sees it: its system properties, then its
	 * environment, then Debian's paths.
	 */
	public static BrowserInstallation current() {
		return from(System::getProperty, System::getenv);
	}

	static BrowserInstallation from(UnaryOperator<String> properties, UnaryOperator<String> environment) {
		return new BrowserInstallation(
				Path.of(setting(properties, environment, "seatkeeper.browser.chromium", "SEATKEEPER_BROWSER_CHROMIUM",
						Browser.CHROMIUM)),
				Path.of(setting(properties, environment, "seatkeeper.browser.chromedriver",
						"SEATKEEPER_BROWSER_CHROMEDRIVER", Browser.CHROMEDRIVER)),
				Boolean.parseBoolean(
						setting(properties, environment, "seatkeeper.browser.required", REQUIRED, "false").strip()));
	}

	private static String setting(UnaryOperator<String> properties, UnaryOperator<String> environment, String property,
			String variable, String fallback) {
		String value = properties.apply(property);
		if (value == null || value.isBlank()) {
			value = environment.apply(variable);
		}
		return (value == null || value.isBlank()) ? fallback : value;
	}

	/**
	 * What the browser tests do on this machine.
	 */
	public Verdict verdict() {
		List<String> missing = new ArrayList<>();
		if (!Files.isExecutable(this.chromium)) {
			missing.add("Chromium (" + this.chromium + ")");
		}
		if (!Files.isExecutable(this.chromedriver)) {
			missing.add("ChromeDriver (" + this.chromedriver + ")");
		}
		if (missing.isEmpty()) {
			return new Verdict(Outcome.RUN, "Chromium and ChromeDriver found");
		}
		String what = String.join(" and ", missing) + " not found";
		if (this.required) {
			return new Verdict(Outcome.FAIL,
					what + ", and " + REQUIRED
							+ "=true requires the browser tests to run: install Chromium and ChromeDriver with `"
							+ INSTALL + "`");
		}
		return new Verdict(Outcome.SKIP, "Browser test skipped: " + what + "; install Chromium and ChromeDriver with `"
				+ INSTALL + "` (CI sets " + REQUIRED + "=true, which turns this skip into a failure)");
	}

	/**
	 * Whether the browser tests run, are skipped or fail.
	 */
	public enum Outcome {

		/** Both are there: the tests run. */
		RUN,

		/**
		 * Something is missing and the browser is not required: the tests are skipped.
		 */
		SKIP,

		/** Something is missing and the browser is required: the tests fail. */
		FAIL

	}

	/**
	 * An outcome and the sentence that explains it.
	 *
	 * @param outcome run, skip or fail
	 * @param reason what was found or is missing, and the install line
	 */
	public record Verdict(Outcome outcome, String reason) {
	}

}
