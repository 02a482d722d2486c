package io.seatkeeper.directory;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Why the directory could not be read, named for the sysadmin: a stable {@code code}
 * (also the message key) and the detail its text names (the host and port, the
 * certificate's subject, the base DN, ...).
 * <p>
 * Active Directory puts the cause of a refused bind (LDAP result 49) in a hex
 * {@code data} field: {@code 52e} wrong credentials, {@code 525} unknown user,
 * {@code 530}/{@code 531} not permitted now or here, {@code 532} password expired,
 * {@code 533} account disabled, {@code 701} account expired, {@code 773} the password
 * must be changed, {@code 775} account locked.
 *
 * @param code the stable code
 * @param detail what the text names, or {@code null}
 */
record DirectoryFailure(String code, String detail) {

	static final String BAD_CREDENTIALS = "directory.failure.badCredentials";

	static final String ACCOUNT_DISABLED = "directory.failure.accountDisabled";

	static final String PASSWORD_EXPIRED = "directory.failure.passwordExpired";

	static final String ACCOUNT_EXPIRED = "directory.failure.accountExpired";

	static final String PASSWORD_MUST_CHANGE = "directory.failure.passwordMustChange";

	static final String ACCOUNT_LOCKED = "directory.failure.accountLocked";

	static final String SIGN_IN_NOT_PERMITTED = "directory.failure.signInNotPermitted";

	static final String CONNECTION_REFUSED = "directory.failure.connectionRefused";

	static final String UNKNOWN_HOST = "directory.failure.unknownHost";

	static final String TIMEOUT = "directory.failure.timeout";

	static final String TLS_UNTRUSTED = "directory.failure.tlsUntrusted";

	static final String TLS_FAILED = "directory.failure.tls";

	static final String BASE_DN_NOT_FOUND = "directory.failure.baseDnNotFound";

	/** Anything else, with the directory's own words. */
	static final String UNREACHABLE = "directory.run.unreachable";

	private static final Pattern DATA = Pattern.compile("data ([0-9a-fA-F]{3,8})");

	/**
	 * The cause of a failed read or bind with these settings.
	 */
	static DirectoryFailure of(Throwable failure, DirectorySettings settings) {
		String address = address(settings.url());
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException) {
				return new DirectoryFailure(CONNECTION_REFUSED, address);
			}
			if (cause instanceof UnknownHostException) {
				return new DirectoryFailure(UNKNOWN_HOST, address);
			}
			if (cause instanceof SocketTimeoutException || timedOut(cause)) {
				return new DirectoryFailure(TIMEOUT, address);
			}
			if (cause instanceof SSLException) {
				if (untrusted(cause)) {
					return new DirectoryFailure(TLS_UNTRUSTED, subject(settings));
				}
				return new DirectoryFailure(TLS_FAILED, address + ": " + cause.getMessage());
			}
			if (cause instanceof javax.naming.AuthenticationException
					|| cause instanceof org.springframework.ldap.AuthenticationException) {
				return bind(cause.getMessage(), settings.bindDn());
			}
			if (cause instanceof javax.naming.NameNotFoundException
					|| cause instanceof org.springframework.ldap.NameNotFoundException) {
				return new DirectoryFailure(BASE_DN_NOT_FOUND, settings.baseDn());
			}
		}
		String text = (failure.getMessage() != null) ? failure.getMessage() : failure.getClass().getSimpleName();
		return new DirectoryFailure(UNREACHABLE, address + ": " + text);
	}

	/**
	 * The cause of a refused bind of this user, from AD's {@code data} field.
	 */
	static DirectoryFailure bind(String message, String user) {
		Matcher data = DATA.matcher((message != null) ? message : "");
		String code = (data.find()) ? switch (data.group(1).toLowerCase(Locale.ROOT)) {
			case "533" -> ACCOUNT_DISABLED;
			case "532" -> PASSWORD_EXPIRED;
			case "701" -> ACCOUNT_EXPIRED;
			case "773" -> PASSWORD_MUST_CHANGE;
			case "775" -> ACCOUNT_LOCKED;
			case "530", "531" -> SIGN_IN_NOT_PERMITTED;
			default -> BAD_CREDENTIALS;
		} : BAD_CREDENTIALS;
		return new DirectoryFailure(code, user);
	}

	/**
	 * The arguments of the code's message.
	 */
	Object[] arguments() {
		return new Object[] { this.detail };
	}

	private static boolean timedOut(Throwable cause) {
		String message = cause.getMessage();
		return message != null && message.toLowerCase(Locale.ROOT).contains("timed out");
	}

	private static boolean untrusted(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof java.security.cert.CertificateException
					|| cause instanceof java.security.cert.CertPathValidatorException
					|| cause.getClass().getName().equals("sun.security.validator.ValidatorException")
					|| cause.getClass()
						.getName()
						.equals("sun.security.provider.certpath.SunCertPathBuilderException")) {
				return true;
			}
		}
		return false;
	}

	static String address(String url) {
		try {
			URI uri = URI.create(url.strip().split("\\s+")[0]);
			int port = uri.getPort();
			if (port < 0) {
				port = "ldaps".equalsIgnoreCase(uri.getScheme()) ? 636 : 389;
			}
			return uri.getHost() + ":" + port;
		}
		catch (RuntimeException ex) {
			return url;
		}
	}

	/**
	 * The subject of the certificate an {@code ldaps://} server presents, read on a
	 * connection of its own that only looks at it (and then closes): the sysadmin sees
	 * which certificate to trust. For StartTLS, the same after the StartTLS request.
	 */
	private static String subject(DirectorySettings settings) {
		String address = address(settings.url());
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, new TrustManager[] { new LookOnly() }, null);
			Certificate[] chain;
			if (settings.url().strip().toLowerCase(Locale.ROOT).startsWith("ldaps:")) {
				String host = address.substring(0, address.lastIndexOf(':'));
				int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
				try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
					socket.connect(new java.net.InetSocketAddress(host, port), 5000);
					socket.setSoTimeout(5000);
					socket.startHandshake();
					chain = socket.getSession().getPeerCertificates();
				}
			}
			else {
				chain = startTls(settings.url(), context);
			}
			X509Certificate certificate = (X509Certificate) chain[0];
			return certificate.getSubjectX500Principal().getName() + " (issued by "
					+ certificate.getIssuerX500Principal().getName() + ")";
		}
		catch (Exception ex) {
			return address;
		}
	}

	/**
	 * The certificate chain a StartTLS server presents, on an anonymous connection that
	 * binds nothing.
	 */
	private static Certificate[] startTls(String url, SSLContext context) throws Exception {
		java.util.Hashtable<String, Object> environment = new java.util.Hashtable<>();
		environment.put(javax.naming.Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
		environment.put(javax.naming.Context.PROVIDER_URL, url.strip().split("\\s+")[0]);
		environment.put("com.sun.jndi.ldap.connect.timeout", "5000");
		environment.put("com.sun.jndi.ldap.read.timeout", "5000");
		javax.naming.ldap.LdapContext ldap = new javax.naming.ldap.InitialLdapContext(environment, null);
		try {
			javax.naming.ldap.StartTlsResponse tls = (javax.naming.ldap.StartTlsResponse) ldap
				.extendedOperation(new javax.naming.ldap.StartTlsRequest());
			try {
				tls.setHostnameVerifier((host, session) -> true);
				return tls.negotiate(context.getSocketFactory()).getPeerCertificates();
			}
			finally {
				tls.close();
			}
		}
		finally {
			ldap.close();
		}
	}

	/**
	 * Accepts any certificate, only to read its subject; nothing is sent on that
	 * connection.
	 */
	private static final class LookOnly implements X509TrustManager {

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	}

}
