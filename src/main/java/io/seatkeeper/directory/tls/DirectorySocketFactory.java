package io.seatkeeper.directory.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS sockets of {@code ldaps://} connections to the directory when
 * {@code seatkeeper.directory.ca-certificates} names the CA certificates to trust (JNDI's
 * {@code java.naming.ldap.factory.socket} names a class and calls its static
 * {@link #getDefault()}, hence a public class with the factory in a static field). It
 * trusts those certificates only, not the JVM's trust store; the server's name is still
 * checked against its certificate.
 */
public final class DirectorySocketFactory extends SocketFactory {

	private static volatile SSLSocketFactory trusted;

	private final SSLSocketFactory delegate;

	private DirectorySocketFactory(SSLSocketFactory delegate) {
		this.delegate = delegate;
	}

	/**
	 * What JNDI calls for each connection.
	 */
	public static SocketFactory getDefault() {
		SSLSocketFactory factory = trusted;
		return new DirectorySocketFactory(
				(factory != null) ? factory : (SSLSocketFactory) SSLSocketFactory.getDefault());
	}

	/**
	 * A factory that trusts the certificates in the PEM file, kept for
	 * {@link #getDefault()} as well.
	 * @throws IllegalStateException if the file cannot be read or holds no certificate
	 */
	public static SSLSocketFactory trusting(Path pem) {
		try (InputStream in = Files.newInputStream(pem)) {
			Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
				.generateCertificates(in);
			if (certificates.isEmpty()) {
				throw new IllegalStateException("seatkeeper.directory.ca-certificates: no certificate in " + pem);
			}
			KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
			store.load(null, null);
			int i = 0;
			for (Certificate certificate : certificates) {
				store.setCertificateEntry("ca" + (i++), certificate);
			}
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(store);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			SSLSocketFactory factory = context.getSocketFactory();
			trusted = factory;
			return factory;
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException(
					"seatkeeper.directory.ca-certificates: cannot read " + pem + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public Socket createSocket() throws IOException {
		return this.delegate.createSocket();
	}

	@Override
	public Socket createSocket(String host, int port) throws IOException {
		return this.delegate.createSocket(host, port);
	}

	@Override
	public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
		return this.delegate.createSocket(host, port, localHost, localPort);
	}

	@Override
	public Socket createSocket(InetAddress host, int port) throws IOException {
		return this.delegate.createSocket(host, port);
	}

	@Override
	public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
			throws IOException {
		return this.delegate.createSocket(address, port, localAddress, localPort);
	}

}
