package io.seatkeeper.directory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.BasicAttributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.ModificationItem;
import javax.naming.directory.SearchControls;
import javax.naming.ldap.BasicControl;
import javax.naming.ldap.Control;
import javax.naming.ldap.InitialLdapContext;
import javax.naming.ldap.LdapContext;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real Active Directory domain controller for the tests: Samba 4 provisioned as the
 * domain {@code CORP.EXAMPLE.TEST} into a temporary folder, listening on 127.0.0.1 only.
 * The AD ports (389, 636, 3268, ...) are fixed, so there is one DC per JVM: the first
 * {@link #shared()} provisions and starts it (about 3 s), every test class after that
 * gets the same one, and a JVM shutdown hook stops it (SIGTERM) and deletes its folder.
 * Tests reset their own OUs and users ({@link #reset()}).
 * <p>
 * Whether Samba is there is {@link #verdict}: the {@link SambaTest} classes are skipped
 * without it, with the reason and the install line, or fail when
 * {@code SEATKEEPER_SAMBA_REQUIRED=true} (set by {@code .ci/run}).
 */
public final class SambaDomain {

	public static final String REALM = "CORP.EXAMPLE.TEST";

	public static final String DOMAIN = "CORP";

	public static final String BASE = "DC=corp,DC=example,DC=test";

	public static final String ADMIN = "Administrator@corp.example.test";

	public static final String ADMIN_PASSWORD = "Adm1n-Secret-42!";

	/** The service account the sync binds with. */
	public static final String BIND_DN = "CN=svc-sync,CN=Users," + BASE;

	public static final String BIND_PASSWORD = "Sync-Secret-42!";

	/** The password every user created with {@link #user} gets. */
	public static final String USER_PASSWORD = "User-Secret-42!";

	/** The line that installs Samba as an AD DC on Debian. */
	public static final String INSTALL = "apt-get install -y --no-install-recommends samba samba-ad-dc samba-ad-provision winbind ldap-utils openssl";

	/** The environment variable that makes a missing Samba a failure. */
	public static final String REQUIRED = "SEATKEEPER_SAMBA_REQUIRED";

	static final String SAMBA = "/usr/sbin/samba";

	static final String SAMBA_TOOL = "/usr/bin/samba-tool";

	/** Tree delete: an OU goes with everything under it. */
	private static final Control TREE_DELETE = new BasicControl("1.2.840.113556.1.4.805", true, null);

	private static SambaDomain shared;

	private final Path folder;

	private final Set<String> ous = new LinkedHashSet<>();

	private Process process;

	private SambaDomain(Path folder) {
		this.folder = folder;
	}

	/**
	 * The domain controller of this JVM, provisioned and started on first use.
	 */
	public static synchronized SambaDomain shared() {
		if (shared == null) {
			try {
				SambaDomain domain = new SambaDomain(Files.createTempDirectory("samba-dc"));
				domain.provision();
				domain.start();
				Runtime.getRuntime().addShutdownHook(new Thread(domain::stop, "samba-stop"));
				shared = domain;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return shared;
	}

	// -- what the tests do on this machine

	static Verdict verdict(UnaryOperator<String> properties, UnaryOperator<String> environment) {
		String required = properties.apply("seatkeeper.samba.required");
		if (required == null || required.isBlank()) {
			required = environment.apply(REQUIRED);
		}
		return verdict(Path.of(SAMBA), Path.of(SAMBA_TOOL), Boolean.parseBoolean(String.valueOf(required).strip()));
	}

	static Verdict verdict(Path samba, Path sambaTool, boolean required) {
		List<String> missing = new ArrayList<>();
		if (!Files.isExecutable(samba)) {
			missing.add("samba (" + samba + ")");
		}
		if (!Files.isExecutable(sambaTool)) {
			missing.add("samba-tool (" + sambaTool + ")");
		}
		if (missing.isEmpty()) {
			return new Verdict(Outcome.RUN, "Samba found");
		}
		String what = String.join(" and ", missing) + " not found";
		if (required) {
			return new Verdict(Outcome.FAIL, what + ", and " + REQUIRED
					+ "=true requires the Active Directory tests to run: install Samba with `" + INSTALL + "`");
		}
		return new Verdict(Outcome.SKIP, "Active Directory test skipped: " + what + "; install Samba with `" + INSTALL
				+ "` (CI sets " + REQUIRED + "=true, which turns this skip into a failure)");
	}

	/**
	 * Whether the Samba tests run, are skipped or fail.
	 */
	enum Outcome {

		RUN, SKIP, FAIL

	}

	/**
	 * An outcome and the sentence that explains it.
	 *
	 * @param outcome run, skip or fail
	 * @param reason what was found or is missing, and the install line
	 */
	record Verdict(Outcome outcome, String reason) {
	}

	// -- provisioning, start and stop

	private void provision() throws IOException {
		Files.createDirectories(this.folder.resolve("state"));
		long started = System.nanoTime();
		run(List.of(SAMBA_TOOL, "domain", "provision", "--server-role=dc", "--use-rfc2307", "--dns-backend=NONE",
				"--realm=" + REALM, "--domain=" + DOMAIN, "--host-name=dc1", "--adminpass=" + ADMIN_PASSWORD,
				"--backend-store=mdb", "--targetdir=" + this.folder, "--option=interfaces = lo",
				"--option=bind interfaces only = yes", "--option=vfs objects = dfs_samba4 acl_xattr xattr_tdb",
				"--option=xattr_tdb:file = " + this.folder.resolve("state/xattr.tdb")), Duration.ofSeconds(60));
		for (String dir : new String[] { "lock", "run", "log", "cache" }) {
			Files.createDirectories(this.folder.resolve(dir));
		}
		certificates();
		// The provisioned smb.conf replaced by one that keeps everything under the folder
		// and on loopback, with only the services LDAP needs.
		String d = this.folder.toString();
		Files.writeString(this.folder.resolve("etc/smb.conf"), """
				[global]
					netbios name = DC1
					realm = %2$s
					workgroup = %3$s
					server role = active directory domain controller
					interfaces = lo
					bind interfaces only = yes
					disable netbios = yes
					server services = rpc, ldap, cldap, kdc, drepl, winbindd, ntp_signd, kcc
					ldap server require strong auth = no
					ldb:nosync = true
					idmap_ldb:use rfc2307 = yes
					vfs objects = dfs_samba4 acl_xattr xattr_tdb
					xattr_tdb:file = %1$s/state/xattr.tdb
					private dir = %1$s/private
					lock directory = %1$s/lock
					state directory = %1$s/state
					cache directory = %1$s/cache
					pid directory = %1$s/run
					binddns dir = %1$s/bind-dns
					ncalrpc dir = %1$s/run/ncalrpc
					winbindd socket directory = %1$s/run/winbindd
					ntp signd socket directory = %1$s/run/ntp_signd
					log file = %1$s/log/samba.log
					logging = file
					tls enabled = yes
					tls keyfile = %1$s/tls/key.pem
					tls certfile = %1$s/tls/cert.pem
					tls cafile = %1$s/tls/ca.pem
				[sysvol]
					path = %1$s/state/sysvol
					read only = No
				[netlogon]
					path = %1$s/state/sysvol/corp.example.test/scripts
					read only = No
				""".formatted(d, REALM, DOMAIN));
		System.out.printf("Samba AD DC provisioned in %s (%d ms)%n", this.folder,
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
	}

	/**
	 * A CA of the tests' own and the DC's certificate from it, with the names a client
	 * checks (Samba's own certificate has none): subject
	 * {@code CN=DC1.corp.example.test}, SANs for 127.0.0.1, ::1, localhost, the DC's name
	 * and this machine's; the key mode 0600, or samba exits.
	 */
	private void certificates() throws IOException {
		Path tls = Files.createDirectories(this.folder.resolve("tls"));
		String host;
		try {
			host = java.net.InetAddress.getLocalHost().getHostName();
		}
		catch (IOException ex) {
			host = "localhost";
		}
		Files.writeString(tls.resolve("server.ext"),
				"subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost,DNS:dc1.corp.example.test,DNS:dc1,DNS:" + host
						+ "\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
						+ "extendedKeyUsage=serverAuth\n");
		String d = tls.toString();
		run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", d + "/ca.key", "-out",
				d + "/ca.pem", "-days", "3", "-subj", "/CN=Seatkeeper Test CA"), Duration.ofSeconds(30));
		run(List.of("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", d + "/key.pem", "-out",
				d + "/server.csr", "-subj", "/CN=DC1.corp.example.test"), Duration.ofSeconds(30));
		run(List.of("openssl", "x509", "-req", "-in", d + "/server.csr", "-CA", d + "/ca.pem", "-CAkey", d + "/ca.key",
				"-CAcreateserial", "-out", d + "/cert.pem", "-days", "3", "-extfile", d + "/server.ext"),
				Duration.ofSeconds(30));
		Files.setPosixFilePermissions(tls.resolve("key.pem"),
				java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
	}

	/** The PEM file of the tests' CA, which signed the DC's certificate. */
	public Path caCertificate() {
		return this.folder.resolve("tls/ca.pem");
	}

	private void start() {
		waitForFreePort();
		IllegalStateException failure = null;
		for (int attempt = 1; attempt <= 2; attempt++) {
			try {
				startOnce();
				samba("user", "create", "svc-sync", BIND_PASSWORD, "--use-username-as-cn");
				return;
			}
			catch (IllegalStateException ex) {
				// A fresh provision sometimes fails to start under load: once more.
				failure = ex;
				stopProcess();
			}
		}
		throw failure;
	}

	private void startOnce() {
		long started = System.nanoTime();
		try {
			this.process = new ProcessBuilder("setsid", SAMBA, "-F", "-s", conf())
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.redirectErrorStream(true)
				.redirectOutput(this.folder.resolve("log/out.log").toFile())
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("samba did not start: " + ex.getMessage(), ex);
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("samba exited with " + this.process.exitValue() + ": " + log());
			}
			try {
				admin().close();
				System.out.printf("Samba AD DC answers LDAP on 127.0.0.1:389 (%d ms)%n",
						TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
				return;
			}
			catch (NamingException ex) {
				sleep(100);
			}
		}
		throw new IllegalStateException("samba did not answer LDAP within 20 s: " + log());
	}

	/**
	 * The AD ports are the machine's: another DC on them (of another test run) is waited
	 * for, at most two minutes.
	 */
	private static void waitForFreePort() {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
		while (listening(389)) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Something else listens on 127.0.0.1:389 (another domain controller?)");
			}
			sleep(500);
		}
	}

	static boolean listening(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private void stop() {
		stopProcess();
		try (Stream<Path> files = Files.walk(this.folder)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// Left in the temporary folder.
		}
	}

	private void stopProcess() {
		if (this.process == null) {
			return;
		}
		// SIGTERM to samba's own PID stops every worker.
		ProcessHandle handle = this.process.toHandle();
		handle.destroy();
		try {
			handle.onExit().get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			handle.descendants().forEach(ProcessHandle::destroyForcibly);
			handle.destroyForcibly();
		}
		this.process = null;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (listening(389) && System.nanoTime() < deadline) {
			sleep(100);
		}
	}

	private String log() {
		try {
			String out = Files.readString(this.folder.resolve("log/out.log"));
			return out.substring(Math.max(0, out.length() - 2000));
		}
		catch (IOException ex) {
			return "(no log)";
		}
	}

	private String conf() {
		return this.folder.resolve("etc/smb.conf").toString();
	}

	public Path folder() {
		return this.folder;
	}

	// -- the application's settings

	/**
	 * Points the application's directory settings (by configuration) at this DC with the
	 * base DN at the domain root, the scheduled sync off.
	 */
	public void register(DynamicPropertyRegistry registry, String mapping) {
		registry.add("seatkeeper.directory.url", () -> "ldap://127.0.0.1:389");
		registry.add("seatkeeper.directory.bind-dn", () -> BIND_DN);
		registry.add("seatkeeper.directory.bind-password", () -> BIND_PASSWORD);
		registry.add("seatkeeper.directory.base-dn", () -> BASE);
		registry.add("seatkeeper.directory.area-mapping", () -> mapping);
		registry.add("seatkeeper.directory.cron", () -> "-");
	}

	// -- data

	/**
	 * Deletes every OU the tests created, with everything in it.
	 */
	public synchronized void reset() {
		List<String> created = new ArrayList<>(this.ous);
		for (String ou : created) {
			try {
				LdapContext admin = admin();
				try {
					admin.setRequestControls(new Control[] { TREE_DELETE });
					admin.destroySubcontext(ou + "," + BASE);
				}
				finally {
					admin.close();
				}
			}
			catch (javax.naming.NameNotFoundException ex) {
				// Gone already.
			}
			catch (NamingException ex) {
				throw new IllegalStateException("Could not delete " + ou + ": " + ex, ex);
			}
			this.ous.remove(ou);
		}
	}

	/**
	 * Creates an OU under the domain root ({@code name} such as {@code Staff}) and gives
	 * back its DN.
	 */
	public synchronized String ou(String name) {
		String rdn = "OU=" + name;
		BasicAttributes attributes = new BasicAttributes(true);
		attributes.put(new BasicAttribute("objectClass", "organizationalUnit"));
		attributes.put("ou", name);
		withAdmin((admin) -> admin.createSubcontext(rdn + "," + BASE, attributes).close());
		this.ous.add(rdn);
		return rdn + "," + BASE;
	}

	/**
	 * Creates a global security group in the OU and gives back its DN.
	 */
	public String group(String ouDn, String name) {
		String dn = "CN=" + name + "," + ouDn;
		BasicAttributes attributes = new BasicAttributes(true);
		attributes.put(new BasicAttribute("objectClass", "group"));
		attributes.put("sAMAccountName", name);
		withAdmin((admin) -> admin.createSubcontext(dn, attributes).close());
		return dn;
	}

	/**
	 * Creates an enabled user with {@link #USER_PASSWORD}, its e-mail
	 * {@code username@corp.example.test}, and gives back its DN.
	 */
	public String user(String ouDn, String username) {
		return user(ouDn, username, username + "@corp.example.test");
	}

	/**
	 * Creates an enabled user with {@link #USER_PASSWORD} and that e-mail address, and
	 * gives back its DN.
	 */
	public String user(String ouDn, String username, String mail) {
		samba("user", "create", username, USER_PASSWORD, "--use-username-as-cn", "--given-name=Given " + username,
				"--surname=Sur " + username, "--mail-address=" + mail,
				"--userou=" + ouDn.substring(0, ouDn.length() - BASE.length() - 1));
		return "CN=" + username + "," + ouDn;
	}

	/**
	 * Creates {@code count} enabled users without passwords (fast: one LDAP connection),
	 * named {@code prefix0000}, ...
	 */
	public void users(String ouDn, String prefix, int count) {
		withAdmin((admin) -> {
			for (int i = 0; i < count; i++) {
				String username = String.format("%s%04d", prefix, i);
				BasicAttributes attributes = new BasicAttributes(true);
				attributes.put(new BasicAttribute("objectClass", "user"));
				attributes.put("sAMAccountName", username);
				attributes.put("userPrincipalName", username + "@corp.example.test");
				attributes.put("mail", username + "@corp.example.test");
				attributes.put("givenName", "Given " + username);
				attributes.put("sn", "Sur " + username);
				// NORMAL_ACCOUNT | PASSWD_NOTREQD: enabled without a password.
				attributes.put("userAccountControl", "544");
				admin.createSubcontext("CN=" + username + "," + ouDn, attributes).close();
			}
		});
	}

	public void addMember(String groupDn, String userDn) {
		modify(groupDn, DirContext.ADD_ATTRIBUTE, "member", userDn);
	}

	public void disable(String username) {
		samba("user", "disable", username);
	}

	public void enable(String username) {
		samba("user", "enable", username);
	}

	/** The account expires now: a bind gets AD's {@code data 701}. */
	public void expire(String username) {
		samba("user", "setexpiry", username, "--days=0");
	}

	public void delete(String username) {
		samba("user", "delete", username);
	}

	/** Moves the user (by DN) to another OU and gives back its new DN. */
	public String move(String userDn, String newOuDn) {
		String rdn = userDn.substring(0, userDn.indexOf(','));
		String newDn = rdn + "," + newOuDn;
		withAdmin((admin) -> admin.rename(userDn, newDn));
		return newDn;
	}

	/** Gives the user a new {@code sAMAccountName} and UPN. */
	public void rename(String userDn, String newUsername) {
		modify(userDn, DirContext.REPLACE_ATTRIBUTE, "sAMAccountName", newUsername);
		modify(userDn, DirContext.REPLACE_ATTRIBUTE, "userPrincipalName", newUsername + "@corp.example.test");
	}

	/** The values of one attribute of an entry, as the administrator reads them. */
	public List<String> attribute(String dn, String name) {
		List<String> values = new ArrayList<>();
		withAdmin((admin) -> {
			Attribute attribute = admin.getAttributes(dn, new String[] { name }).get(name);
			if (attribute != null) {
				for (int i = 0; i < attribute.size(); i++) {
					values.add(String.valueOf(attribute.get(i)));
				}
			}
		});
		return values;
	}

	/** How many entries a subtree search as administrator finds. */
	public int count(String baseDn, String filter) {
		int[] count = { 0 };
		withAdmin((admin) -> {
			SearchControls controls = new SearchControls();
			controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
			controls.setReturningAttributes(new String[] { "cn" });
			var results = admin.search(baseDn, filter, controls);
			try {
				while (results.hasMore()) {
					results.next();
					count[0]++;
				}
			}
			catch (javax.naming.PartialResultException ex) {
				// The continuation references at the domain root: not followed.
			}
		});
		return count[0];
	}

	private void modify(String dn, int operation, String attribute, String value) {
		withAdmin((admin) -> admin.modifyAttributes(dn,
				new ModificationItem[] { new ModificationItem(operation, new BasicAttribute(attribute, value)) }));
	}

	private void withAdmin(AdminWork work) {
		try {
			LdapContext admin = admin();
			try {
				work.run(admin);
			}
			finally {
				admin.close();
			}
		}
		catch (NamingException ex) {
			throw new IllegalStateException(ex.toString(), ex);
		}
	}

	private static LdapContext admin() throws NamingException {
		Hashtable<String, Object> environment = new Hashtable<>();
		environment.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
		environment.put(Context.PROVIDER_URL, "ldap://127.0.0.1:389");
		environment.put(Context.SECURITY_AUTHENTICATION, "simple");
		environment.put(Context.SECURITY_PRINCIPAL, ADMIN);
		environment.put(Context.SECURITY_CREDENTIALS, ADMIN_PASSWORD);
		environment.put(Context.REFERRAL, "ignore");
		environment.put("com.sun.jndi.ldap.connect.timeout", "2000");
		return new InitialLdapContext(environment, null);
	}

	/**
	 * Runs {@code samba-tool} against the DC as Administrator.
	 */
	public void samba(String... arguments) {
		List<String> command = new ArrayList<>(List.of(SAMBA_TOOL));
		command.addAll(List.of(arguments));
		command.addAll(List.of("-H", "ldap://127.0.0.1", "-U", "Administrator", "--use-kerberos=off", "-s", conf()));
		run(command, Duration.ofSeconds(30));
	}

	private void run(List<String> command, Duration timeout) {
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.directory(this.folder.toFile());
			Map<String, String> environment = builder.environment();
			environment.put("PASSWD", ADMIN_PASSWORD);
			Process tool = builder.start();
			byte[] out = tool.getInputStream().readAllBytes();
			if (!tool.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || tool.exitValue() != 0) {
				tool.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(3, command.size())))
						+ " failed: " + new String(out, StandardCharsets.UTF_8));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@FunctionalInterface
	private interface AdminWork {

		void run(LdapContext admin) throws NamingException;

	}

}
