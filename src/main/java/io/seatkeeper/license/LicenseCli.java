package io.seatkeeper.license;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The vendor's tool, run from the application's jar without starting the application:
 * {@code java -jar seatkeeper.jar license keygen --out DIR} writes a key pair;
 * {@code java -jar seatkeeper.jar license sign --private-key FILE --licensee NAME
 * --max-users N --max-extranet-users M [--expires YYYY-MM-DD] [--request REF] [--serial S]}
 * prints a signed licence key.
 */
public final class LicenseCli {

	static final String PRIVATE_KEY_FILE = "seatkeeper-vendor-private.pem";

	static final String PUBLIC_KEY_FILE = "seatkeeper-vendor-public.pem";

	static final String USAGE = """
			Usage:
			  license keygen --out DIR
			      writes DIR/%s (keep it secret) and DIR/%s
			      (the value of seatkeeper.license.vendor-public-key)
			  license sign --private-key FILE --licensee NAME --max-users N --max-extranet-users M
			               [--expires YYYY-MM-DD] [--request REF] [--serial S]
			      prints a licence key; the serial defaults to the current time in seconds
			""".formatted(PRIVATE_KEY_FILE, PUBLIC_KEY_FILE);

	private LicenseCli() {
	}

	/**
	 * Whether the arguments ask for this tool rather than for the application.
	 */
	public static boolean wanted(String[] args) {
		return args.length > 0 && "license".equals(args[0]);
	}

	/**
	 * Runs the tool with the arguments after {@code license} and says the exit code.
	 */
	public static int run(List<String> args, PrintStream out, PrintStream err) {
		if (args.isEmpty()) {
			return usage(err, "a command is missing");
		}
		try {
			return switch (args.get(0)) {
				case "keygen" -> keygen(options(args.subList(1, args.size()), Set.of("--out")), out, err);
				case "sign" -> sign(options(args.subList(1, args.size()), Set.of("--private-key", "--licensee",
						"--max-users", "--max-extranet-users", "--expires", "--request", "--serial")), out, err);
				default -> usage(err, "unknown command " + args.get(0));
			};
		}
		catch (IllegalArgumentException ex) {
			return usage(err, ex.getMessage());
		}
	}

	private static int keygen(Map<String, String> options, PrintStream out, PrintStream err) {
		String dir = required(options, "--out");
		KeyPair pair = LicenseKeyCodec.generateKeyPair();
		Path folder = Path.of(dir);
		Path privateFile = folder.resolve(PRIVATE_KEY_FILE);
		Path publicFile = folder.resolve(PUBLIC_KEY_FILE);
		if (Files.exists(privateFile)) {
			err.println("error: " + privateFile + " exists; it is never overwritten");
			return 1;
		}
		try {
			Files.createDirectories(folder);
			Files.writeString(privateFile, LicenseKeyCodec.pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
					StandardCharsets.US_ASCII);
			Files.writeString(publicFile, LicenseKeyCodec.pem("PUBLIC KEY", pair.getPublic().getEncoded()),
					StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			err.println("error: cannot write to " + folder + ": " + ex.getMessage());
			return 1;
		}
		out.println("Wrote " + privateFile + " (keep it secret) and " + publicFile);
		return 0;
	}

	private static int sign(Map<String, String> options, PrintStream out, PrintStream err) {
		Path privateFile = Path.of(required(options, "--private-key"));
		String licensee = required(options, "--licensee").strip();
		if (licensee.isEmpty()) {
			throw new IllegalArgumentException("--licensee must not be blank");
		}
		int maxUsers = count(required(options, "--max-users"), "--max-users");
		int maxExtranet = count(required(options, "--max-extranet-users"), "--max-extranet-users");
		LocalDate expires = null;
		if (options.containsKey("--expires")) {
			try {
				expires = LocalDate.parse(options.get("--expires"));
			}
			catch (DateTimeParseException ex) {
				throw new IllegalArgumentException("--expires must be YYYY-MM-DD");
			}
		}
		long serial = System.currentTimeMillis() / 1000;
		if (options.containsKey("--serial")) {
			try {
				serial = Long.parseLong(options.get("--serial"));
			}
			catch (NumberFormatException ex) {
				serial = 0;
			}
			if (serial < 1) {
				throw new IllegalArgumentException("--serial must be a whole number of 1 or more");
			}
		}
		PrivateKey privateKey;
		try {
			privateKey = LicenseKeyCodec.privateKey(Files.readString(privateFile, StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			err.println("error: cannot read " + privateFile + ": " + ex.getMessage());
			return 1;
		}
		catch (IllegalArgumentException ex) {
			err.println("error: " + privateFile + ": " + ex.getMessage());
			return 1;
		}
		String request = options.get("--request");
		LicenseKey key = new LicenseKey(serial, licensee, maxUsers, maxExtranet, LocalDate.now(), expires,
				(request != null && !request.isBlank()) ? request.strip() : null);
		out.println(LicenseKeyCodec.sign(key, privateKey));
		return 0;
	}

	private static Map<String, String> options(List<String> args, Set<String> known) {
		Map<String, String> options = new HashMap<>();
		for (int i = 0; i < args.size(); i += 2) {
			String name = args.get(i);
			if (!known.contains(name)) {
				throw new IllegalArgumentException("unknown option " + name);
			}
			if (i + 1 >= args.size()) {
				throw new IllegalArgumentException(name + " needs a value");
			}
			if (options.put(name, args.get(i + 1)) != null) {
				throw new IllegalArgumentException(name + " is given twice");
			}
		}
		return options;
	}

	private static String required(Map<String, String> options, String name) {
		String value = options.get(name);
		if (value == null) {
			throw new IllegalArgumentException(name + " is required");
		}
		return value;
	}

	private static int count(String value, String name) {
		try {
			int count = Integer.parseInt(value);
			if (count >= 0) {
				return count;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException(name + " must be a whole number of 0 or more");
	}

	private static int usage(PrintStream err, String problem) {
		err.println("error: " + problem);
		err.print(USAGE);
		return 2;
	}

}
