package io.seatkeeper.license;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The vendor's tool: a key pair from {@code keygen}, a key from {@code sign} that the
 * application's verification accepts, and usage with a non-zero exit for bad arguments.
 */
class LicenseCliTests {

	@TempDir
	Path folder;

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@Test
	void keygenAndSignRoundTripThroughTheApplicationsVerification() throws Exception {
		assertThat(run("keygen", "--out", this.folder.toString())).isZero();
		Path privateKey = this.folder.resolve(LicenseCli.PRIVATE_KEY_FILE);
		Path publicKey = this.folder.resolve(LicenseCli.PUBLIC_KEY_FILE);
		assertThat(Files.readString(privateKey)).startsWith("-----BEGIN PRIVATE KEY-----");
		assertThat(Files.readString(publicKey)).startsWith("-----BEGIN PUBLIC KEY-----");

		this.out.reset();
		assertThat(run("sign", "--private-key", privateKey.toString(), "--licensee", "Example Corp", "--max-users",
				"120", "--max-extranet-users", "30", "--expires", "2031-12-31", "--request", "R-7", "--serial", "42"))
			.isZero();
		String key = this.out.toString(StandardCharsets.UTF_8).strip();

		LicenseKey read = LicenseKeyCodec.verify(key, LicenseKeyCodec.publicKey(Files.readString(publicKey)));
		assertThat(read)
			.isEqualTo(new LicenseKey(42, "Example Corp", 120, 30, LocalDate.now(), LocalDate.of(2031, 12, 31), "R-7"));
		assertThat(this.err.toString(StandardCharsets.UTF_8)).isEmpty();
		assertThatExceptionOfType(LicenseKeyRefused.class)
			.isThrownBy(() -> LicenseKeyCodec.verify(key, LicenseKeyCodec.publicKey(DevKeys.PUBLIC_KEY)))
			.satisfies((refusal) -> assertThat(refusal.reason()).isEqualTo(LicenseKeyRefused.Reason.SIGNATURE));
	}

	@Test
	void signsWithATimeSerialWhenNoneIsGiven() throws Exception {
		long before = System.currentTimeMillis() / 1000;
		assertThat(run("sign", "--private-key", devPrivateKey().toString(), "--licensee", "Example Corp", "--max-users",
				"10", "--max-extranet-users", "0"))
			.isZero();
		LicenseKey read = LicenseKeyCodec.verify(this.out.toString(StandardCharsets.UTF_8),
				LicenseKeyCodec.publicKey(DevKeys.PUBLIC_KEY));
		assertThat(read.serial()).isGreaterThanOrEqualTo(before);
		assertThat(read.expires()).isNull();
		assertThat(read.request()).isNull();
	}

	@Test
	void badArgumentsPrintTheUsageAndExitNonZero() throws Exception {
		String key = devPrivateKey().toString();
		assertUsage("a command is missing");
		assertUsage("unknown command frobnicate", "frobnicate");
		assertUsage("--out is required", "keygen");
		assertUsage("--licensee is required", "sign", "--private-key", key, "--max-users", "5", "--max-extranet-users",
				"5");
		assertUsage("--max-users must be a whole number of 0 or more", "sign", "--private-key", key, "--licensee", "X",
				"--max-users", "-1", "--max-extranet-users", "5");
		assertUsage("--max-extranet-users must be a whole number of 0 or more", "sign", "--private-key", key,
				"--licensee", "X", "--max-users", "1", "--max-extranet-users", "many");
		assertUsage("--expires must be YYYY-MM-DD", "sign", "--private-key", key, "--licensee", "X", "--max-users", "1",
				"--max-extranet-users", "1", "--expires", "31.12.2030");
		assertUsage("--serial must be a whole number of 1 or more", "sign", "--private-key", key, "--licensee", "X",
				"--max-users", "1", "--max-extranet-users", "1", "--serial", "0");
		assertUsage("unknown option --max-user", "sign", "--max-user", "5");
		assertUsage("--licensee needs a value", "sign", "--licensee");
	}

	@Test
	void refusesAMissingPrivateKeyFileAndNeverOverwritesAKeyPair() throws Exception {
		assertThat(run("sign", "--private-key", this.folder.resolve("missing.pem").toString(), "--licensee", "X",
				"--max-users", "1", "--max-extranet-users", "1"))
			.isEqualTo(1);
		assertThat(this.err.toString(StandardCharsets.UTF_8)).contains("cannot read");
		assertThat(this.out.toString(StandardCharsets.UTF_8)).isEmpty();

		assertThat(run("keygen", "--out", this.folder.toString())).isZero();
		String first = Files.readString(this.folder.resolve(LicenseCli.PRIVATE_KEY_FILE));
		assertThat(run("keygen", "--out", this.folder.toString())).isEqualTo(1);
		assertThat(Files.readString(this.folder.resolve(LicenseCli.PRIVATE_KEY_FILE))).isEqualTo(first);
	}

	@Test
	void isWantedOnlyForTheLicenseCommand() {
		assertThat(LicenseCli.wanted(new String[] { "license", "keygen" })).isTrue();
		assertThat(LicenseCli.wanted(new String[] { "--server.port=0" })).isFalse();
		assertThat(LicenseCli.wanted(new String[0])).isFalse();
	}

	private void assertUsage(String problem, String... args) {
		this.err.reset();
		this.out.reset();
		assertThat(run(args)).isEqualTo(2);
		assertThat(this.err.toString(StandardCharsets.UTF_8)).contains("error: " + problem)
			.contains("Usage:")
			.contains("license sign --private-key FILE");
		assertThat(this.out.toString(StandardCharsets.UTF_8)).isEmpty();
	}

	private int run(String... args) {
		return LicenseCli.run(List.of(args), new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private Path devPrivateKey() throws Exception {
		Path file = this.folder.resolve("dev.pem");
		Files.writeString(file, DevKeys.read("license/dev-vendor-private.pem"));
		return file;
	}

}
