package io.seatkeeper.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.UUID;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The benchmarks' directory: an in-process UnboundID server with {@code dir1}…
 * Active-Directory-shaped users (binary {@code objectGUID}, {@code sAMAccountName},
 * {@code mail}, {@code givenName}, {@code sn}, {@code userAccountControl}) under one OU
 * mapped to the Primary Area, and no size limit.
 */
final class BenchDirectory {

	static final String BASE = "DC=example,DC=org";

	static final String STAFF = "OU=Staff," + BASE;

	static final String BIND_DN = "CN=sync," + BASE;

	static final String BIND_PASSWORD = "sync-secret";

	private BenchDirectory() {
	}

	/**
	 * Points the application's directory settings at the server on the port, with the
	 * given page size.
	 */
	static void register(DynamicPropertyRegistry registry, int port, int page) {
		registry.add("seatkeeper.directory.url", () -> "ldap://localhost:" + port);
		registry.add("seatkeeper.directory.bind-dn", () -> BIND_DN);
		registry.add("seatkeeper.directory.bind-password", () -> BIND_PASSWORD);
		registry.add("seatkeeper.directory.base-dn", () -> BASE);
		registry.add("seatkeeper.directory.area-mapping", () -> STAFF + " -> Primary Area");
		registry.add("seatkeeper.directory.page-size", () -> String.valueOf(page));
	}

	/**
	 * Starts a server on the port with {@code entries} enabled users.
	 */
	static InMemoryDirectoryServer start(int port, int entries) {
		try {
			InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
			config.setSchema(null);
			config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", port));
			config.addAdditionalBindCredentials(BIND_DN, BIND_PASSWORD);
			InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
			server.add(new Entry(BASE, new Attribute("objectClass", "top", "domain")));
			server.add(new Entry(STAFF, new Attribute("objectClass", "top", "organizationalUnit")));
			for (int i = 1; i <= entries; i++) {
				String username = "dir" + i;
				UUID guid = UUID.randomUUID();
				server.add(new Entry("CN=" + username + "," + STAFF,
						new Attribute("objectClass", "top", "person", "organizationalPerson", "user"),
						new Attribute("objectCategory", "person"), new Attribute("sAMAccountName", username),
						new Attribute("mail", username + "@example.org"), new Attribute("givenName", "First" + i),
						new Attribute("sn", "Last" + i), new Attribute("userAccountControl", "512"),
						new Attribute("objectGUID",
								ByteBuffer.allocate(16)
									.putLong(guid.getMostSignificantBits())
									.putLong(guid.getLeastSignificantBits())
									.array())));
			}
			server.startListening();
			return server;
		}
		catch (LDAPException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
