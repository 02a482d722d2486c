package io.seatkeeper.directory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * An in-memory UnboundID directory shaped like Active Directory: binary
 * {@code objectGUID}, {@code sAMAccountName}, {@code userAccountControl},
 * {@code memberOf}, two OUs (Staff, Partners), a group, and a size limit of 1,000 entries
 * per search, as Active Directory enforces on an unpaged search.
 */
public final class TestDirectory {

	public static final String BASE = "DC=example,DC=org";

	public static final String STAFF = "OU=Staff," + BASE;

	public static final String PARTNERS = "OU=Partners," + BASE;

	public static final String GROUP = "CN=Extranet Guests,OU=Groups," + BASE;

	public static final String BIND_DN = "CN=sync,OU=Service," + BASE;

	public static final String BIND_PASSWORD = "sync-secret-1";

	public static final String MAPPING = STAFF + " -> Primary Area\n" + PARTNERS + " -> Partners\n" + GROUP
			+ " -> Partners";

	private final InMemoryDirectoryServer server;

	private final int port;

	private final AtomicInteger searches = new AtomicInteger();

	private volatile int stopAtSearch = -1;

	public TestDirectory() {
		try {
			this.port = freePort();
			InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
			config.setSchema(null);
			config.setMaxSizeLimit(1000);
			config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", this.port));
			config.addAdditionalBindCredentials(BIND_DN, BIND_PASSWORD);
			config.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
				@Override
				public void processSearchRequest(InMemoryInterceptedSearchRequest request) throws LDAPException {
					if (request.getRequest().getBaseDN().isEmpty()) {
						// The rootDSE (read for the update sequence numbers): not a page.
						return;
					}
					int search = TestDirectory.this.searches.incrementAndGet();
					if (TestDirectory.this.stopAtSearch > 0 && search >= TestDirectory.this.stopAtSearch) {
						TestDirectory.this.stopAtSearch = -1;
						// The directory goes down in the middle of the paged read.
						new Thread(() -> TestDirectory.this.server.shutDown(true)).start();
						throw new LDAPException(ResultCode.UNAVAILABLE, "The directory is shutting down");
					}
				}
			});
			this.server = new InMemoryDirectoryServer(config);
			this.server.startListening();
			reset();
		}
		catch (LDAPException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Points the application's directory settings (by configuration) at this directory,
	 * with the scheduled sync off: tests start each run themselves.
	 */
	/**
	 * The same settings as {@link #register}, as arguments ({@code --key=value}) for an
	 * application node started on its own.
	 */
	public String[] arguments() {
		List<String> arguments = new ArrayList<>();
		register((key, value) -> arguments.add("--" + key + "=" + value.get()));
		return arguments.toArray(String[]::new);
	}

	public void register(DynamicPropertyRegistry registry) {
		registry.add("seatkeeper.directory.url", this::url);
		registry.add("seatkeeper.directory.bind-dn", () -> BIND_DN);
		registry.add("seatkeeper.directory.bind-password", () -> BIND_PASSWORD);
		registry.add("seatkeeper.directory.base-dn", () -> BASE);
		registry.add("seatkeeper.directory.area-mapping", () -> MAPPING);
		registry.add("seatkeeper.directory.cron", () -> "-");
	}

	public String url() {
		return "ldap://localhost:" + this.port;
	}

	InMemoryDirectoryServer server() {
		return this.server;
	}

	/**
	 * Forgets every sync run, frees the run lock, and sets the sync's settings back to
	 * their defaults (no safety share, no activation as soon as a licence is free).
	 */
	public static void forgetRuns(JdbcTemplate jdbc) {
		jdbc.update("delete from directory_run");
		jdbc.update("update directory_lock set run_id = null, locked_at = null");
		jdbc.update("update directory_settings set max_block_percent = null, activate_when_free = false");
	}

	/**
	 * Empties the directory but for its OUs, group and service account, and starts it if
	 * it was stopped.
	 */
	public void reset() {
		try {
			if (this.server.getListenPort() < 0) {
				this.server.startListening();
			}
			this.stopAtSearch = -1;
			this.server.clear();
			this.server
				.add(new Entry(BASE, new Attribute("objectClass", "top", "domain"), new Attribute("dc", "example")));
			for (String ou : new String[] { "Staff", "Partners", "Groups", "Service", "Elsewhere" }) {
				this.server.add(new Entry("OU=" + ou + "," + BASE,
						new Attribute("objectClass", "top", "organizationalUnit"), new Attribute("ou", ou)));
			}
			this.server.add(new Entry(GROUP, new Attribute("objectClass", "top", "group"),
					new Attribute("cn", "Extranet Guests")));
			this.server
				.add(new Entry(BIND_DN, new Attribute("objectClass", "top", "person"), new Attribute("cn", "sync")));
		}
		catch (LDAPException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Adds an enabled user under the OU and gives back its objectGUID.
	 */
	public UUID addUser(String ou, String username) {
		UUID guid = UUID.randomUUID();
		addUser(ou, username, guid, true, null);
		return guid;
	}

	void addUser(String ou, String username, UUID guid, boolean enabled, String group) {
		List<Attribute> attributes = new ArrayList<>();
		attributes.add(new Attribute("objectClass", "top", "person", "organizationalPerson", "user"));
		attributes.add(new Attribute("objectCategory", "person"));
		attributes.add(new Attribute("cn", username));
		attributes.add(new Attribute("sAMAccountName", username));
		attributes.add(new Attribute("mail", username + "@example.org"));
		attributes.add(new Attribute("givenName", "Given " + username));
		attributes.add(new Attribute("sn", "Sur " + username));
		attributes.add(new Attribute("userAccountControl", enabled ? "512" : "514"));
		attributes.add(new Attribute("objectGUID", bytes(guid)));
		attributes.add(new Attribute("userPassword", password(username)));
		if (group != null) {
			attributes.add(new Attribute("memberOf", group));
		}
		try {
			this.server.add(new Entry(dn(ou, username), attributes));
		}
		catch (LDAPException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String dn(String ou, String username) {
		return "CN=" + username + "," + ou;
	}

	static String password(String username) {
		return "pw-" + username + "-42";
	}

	void disable(String ou, String username) {
		modify(dn(ou, username), new Modification(ModificationType.REPLACE, "userAccountControl", "514"));
	}

	void enable(String ou, String username) {
		modify(dn(ou, username), new Modification(ModificationType.REPLACE, "userAccountControl", "512"));
	}

	void remove(String ou, String username) {
		try {
			this.server.delete(dn(ou, username));
		}
		catch (LDAPException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Renames the account (a new sAMAccountName and CN), keeping its objectGUID.
	 */
	void rename(String ou, String username, String newUsername) {
		try {
			this.server.modifyDN(dn(ou, username), "CN=" + newUsername, true);
		}
		catch (LDAPException ex) {
			throw new IllegalStateException(ex);
		}
		modify(dn(ou, newUsername), new Modification(ModificationType.REPLACE, "sAMAccountName", newUsername),
				new Modification(ModificationType.REPLACE, "mail", newUsername + "@example.org"));
	}

	/**
	 * Moves the account to another OU, keeping its objectGUID.
	 */
	void move(String ou, String username, String newOu) {
		try {
			this.server.modifyDN(dn(ou, username), "CN=" + username, true, newOu);
		}
		catch (LDAPException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The directory stops when it receives the given search request from now on (the
	 * first is 1).
	 */
	void stopAtSearch(int search) {
		this.searches.set(0);
		this.stopAtSearch = search;
	}

	public void shutDown() {
		this.server.shutDown(true);
	}

	private void modify(String dn, Modification... modifications) {
		try {
			this.server.modify(dn, modifications);
		}
		catch (LDAPException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String hex(UUID guid) {
		return java.util.HexFormat.of().formatHex(bytes(guid));
	}

	private static byte[] bytes(UUID guid) {
		return ByteBuffer.allocate(16)
			.putLong(guid.getMostSignificantBits())
			.putLong(guid.getLeastSignificantBits())
			.array();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
