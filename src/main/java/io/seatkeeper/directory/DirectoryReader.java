package io.seatkeeper.directory;

import java.nio.file.Path;
import java.util.Locale;
import javax.net.ssl.SSLSocketFactory;
import io.seatkeeper.directory.tls.DirectorySocketFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.SearchControls;

import org.springframework.ldap.control.PagedResultsDirContextProcessor;
import org.springframework.ldap.core.ContextMapper;
import org.springframework.ldap.core.DirContextAdapter;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.core.support.DefaultTlsDirContextAuthenticationStrategy;
import org.springframework.ldap.core.support.LdapContextSource;
import org.springframework.ldap.core.support.SingleContextSource;
import org.springframework.stereotype.Component;

/**
 * Reads the directory: every entry the user filter selects under the base DN, with a
 * paged search (Active Directory answers an unpaged search with at most 1,000 entries),
 * on one connection.
 * <p>
 * A subtree search at the root of an Active Directory domain ends each page with
 * continuation references (to {@code CN=Configuration}, the DNS zones, ...): they are
 * ignored ({@code java.naming.referral=ignore}, and the {@code PartialResultException}
 * that JNDI still throws after the page's last entry is swallowed), never followed, since
 * following them resolves the domain's name through DNS. The Global Catalog (port 3268)
 * returns none.
 */
@Component
class DirectoryReader {

	/** The bit of {@code userAccountControl} that marks a disabled account. */
	static final int ACCOUNT_DISABLED = 2;

	private final DirectoryProperties properties;

	/** Trusts {@code ca-certificates} only, or {@code null}: the JVM's trust store. */
	private final SSLSocketFactory trusted;

	DirectoryReader(DirectoryProperties properties) {
		this.properties = properties;
		this.trusted = (properties.caCertificates() != null && !properties.caCertificates().isBlank())
				? DirectorySocketFactory.trusting(Path.of(properties.caCertificates().strip())) : null;
	}

	/**
	 * Every entry in scope of the filter, page by page; {@code progress} hears the count
	 * read so far.
	 * @throws org.springframework.ldap.NamingException if the directory cannot be reached
	 * or fails during the read
	 */
	List<DirectoryRecord> readAll(DirectorySettings settings, IntConsumer progress) {
		LdapContextSource source = contextSource(settings, settings.bindDn(), settings.bindPassword());
		SearchControls controls = controls(settings, 0);
		ContextMapper<DirectoryRecord> mapper = mapper(settings);
		return SingleContextSource.doWithSingleContext(source, (operations) -> {
			List<DirectoryRecord> all = new ArrayList<>();
			PagedResultsDirContextProcessor pages = new PagedResultsDirContextProcessor(this.properties.pageSize());
			do {
				all.addAll(operations.search(settings.baseDn(), settings.userFilter(), controls, mapper, pages));
				progress.accept(all.size());
			}
			while (pages.hasMore());
			return all;
		}, false, true, false);
	}

	/**
	 * A first page of the entries in scope, for "Test connection": how many there are on
	 * it, and the first few. Changes nothing.
	 */
	List<DirectoryRecord> sample(DirectorySettings settings) {
		LdapContextSource source = contextSource(settings, settings.bindDn(), settings.bindPassword());
		PagedResultsDirContextProcessor page = new PagedResultsDirContextProcessor(this.properties.pageSize());
		LdapTemplate template = new LdapTemplate(source);
		template.setIgnorePartialResultException(true);
		return template.search(settings.baseDn(), settings.userFilter(), controls(settings, 0), mapper(settings), page);
	}

	/**
	 * Whether the directory accepts this DN and password: the sign-in of a directory
	 * user.
	 */
	boolean bind(DirectorySettings settings, String dn, String password) {
		if (password == null || password.isEmpty()) {
			// An empty password would be an anonymous bind, which proves nothing.
			return false;
		}
		LdapContextSource source = contextSource(settings, dn, password);
		try {
			source.getContext(dn, password).close();
			return true;
		}
		catch (org.springframework.ldap.AuthenticationException ex) {
			return false;
		}
		catch (NamingException ex) {
			return true;
		}
	}

	LdapContextSource contextSource(DirectorySettings settings, String user, String password) {
		LdapContextSource source = new LdapContextSource();
		source.setUrl(settings.url());
		if (user != null && !user.isBlank()) {
			source.setUserDn(user);
			source.setPassword((password != null) ? password : "");
		}
		else {
			source.setAnonymousReadOnly(true);
		}
		Map<String, Object> environment = new HashMap<>();
		if ("objectGUID".equalsIgnoreCase(settings.idAttribute())) {
			environment.put("java.naming.ldap.attributes.binary", settings.idAttribute());
		}
		environment.put("com.sun.jndi.ldap.connect.timeout",
				String.valueOf(this.properties.connectTimeout().toMillis()));
		environment.put("com.sun.jndi.ldap.read.timeout", String.valueOf(this.properties.readTimeout().toMillis()));
		// Never "follow": the references name the domain, which resolves through DNS.
		environment.put("java.naming.referral", "ignore");
		if (this.trusted != null && settings.url().strip().toLowerCase(Locale.ROOT).startsWith("ldaps:")) {
			environment.put("java.naming.ldap.factory.socket", DirectorySocketFactory.class.getName());
		}
		source.setBaseEnvironmentProperties(environment);
		if (settings.startTls()) {
			DefaultTlsDirContextAuthenticationStrategy tls = new DefaultTlsDirContextAuthenticationStrategy();
			if (this.trusted != null) {
				tls.setSslSocketFactory(this.trusted);
			}
			source.setAuthenticationStrategy(tls);
		}
		source.setPooled(false);
		source.afterPropertiesSet();
		return source;
	}

	private static SearchControls controls(DirectorySettings settings, long limit) {
		SearchControls controls = new SearchControls();
		controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
		controls.setCountLimit(limit);
		controls.setReturningAttributes(new String[] { settings.idAttribute(), settings.usernameAttribute(),
				settings.emailAttribute(), settings.firstNameAttribute(), settings.lastNameAttribute(),
				"userAccountControl", "memberOf" });
		return controls;
	}

	private static ContextMapper<DirectoryRecord> mapper(DirectorySettings settings) {
		return (context) -> {
			DirContextAdapter entry = (DirContextAdapter) context;
			Attributes attributes = entry.getAttributes();
			return new DirectoryRecord(entry.getNameInNamespace(), id(attributes.get(settings.idAttribute())),
					text(attributes.get(settings.usernameAttribute())), text(attributes.get(settings.emailAttribute())),
					text(attributes.get(settings.firstNameAttribute())),
					text(attributes.get(settings.lastNameAttribute())), enabled(attributes.get("userAccountControl")),
					all(attributes.get("memberOf")));
		};
	}

	private static String id(Attribute attribute) throws NamingException {
		if (attribute == null || attribute.get() == null) {
			return null;
		}
		Object value = attribute.get();
		return (value instanceof byte[] bytes) ? HexFormat.of().formatHex(bytes) : value.toString().strip();
	}

	private static String text(Attribute attribute) throws NamingException {
		if (attribute == null || attribute.get() == null) {
			return null;
		}
		Object value = attribute.get();
		return (value instanceof byte[] bytes) ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8).strip()
				: value.toString().strip();
	}

	private static boolean enabled(Attribute attribute) throws NamingException {
		String flags = text(attribute);
		if (flags == null || flags.isEmpty()) {
			return true;
		}
		try {
			return (Long.parseLong(flags) & ACCOUNT_DISABLED) == 0;
		}
		catch (NumberFormatException ex) {
			return true;
		}
	}

	private static List<String> all(Attribute attribute) throws NamingException {
		if (attribute == null) {
			return List.of();
		}
		List<String> values = new ArrayList<>(attribute.size());
		NamingEnumeration<?> each = attribute.getAll();
		while (each.hasMore()) {
			values.add(each.next().toString());
		}
		return values;
	}

}
