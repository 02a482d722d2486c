package io.seatkeeper.directory;

import java.nio.file.Path;
import java.util.Locale;
import javax.net.ssl.SSLSocketFactory;
import io.seatkeeper.directory.tls.DirectorySocketFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Optional;
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
import org.springframework.ldap.core.AttributesMapper;
import org.springframework.ldap.core.ContextMapper;
import org.springframework.ldap.core.DirContextAdapter;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.core.support.DefaultTlsDirContextAuthenticationStrategy;
import org.springframework.ldap.core.support.LdapContextSource;
import org.springframework.ldap.core.support.SingleContextSource;
import org.springframework.ldap.support.LdapEncoder;
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
	 * The domain controller's update marks, read from the rootDSE at the start of a run:
	 * its {@code highestCommittedUSN} and the {@code invocationId} of its database (from
	 * the NTDS Settings object that {@code dsServiceName} names; a restored or another DC
	 * has another). Empty for a plain LDAP server, which has no update sequence numbers.
	 */
	Optional<UpdateMarks> marks(DirectorySettings settings) {
		LdapContextSource source = contextSource(settings, settings.bindDn(), settings.bindPassword());
		LdapTemplate template = new LdapTemplate(source);
		template.setIgnorePartialResultException(true);
		String[] root;
		try {
			root = template.lookup("", new String[] { "highestCommittedUSN", "dsServiceName" },
					(AttributesMapper<String[]>) (attributes) -> new String[] {
							text(attributes.get("highestCommittedUSN")), text(attributes.get("dsServiceName")) });
		}
		catch (org.springframework.ldap.NoPermissionException | org.springframework.ldap.NameNotFoundException
				| org.springframework.ldap.OperationNotSupportedException ex) {
			// A server that does not show its rootDSE to the bind account: full runs. A
			// server that cannot be reached fails the run here, as its read would.
			return Optional.empty();
		}
		String usn = root[0];
		String service = root[1];
		if (usn == null || usn.isEmpty()) {
			return Optional.empty();
		}
		long highest;
		try {
			highest = Long.parseLong(usn);
		}
		catch (NumberFormatException ex) {
			return Optional.empty();
		}
		String invocation = null;
		if (service != null && !service.isEmpty()) {
			try {
				invocation = template.lookup(service, new String[] { "invocationId" },
						(AttributesMapper<String>) (attributes) -> id(attributes.get("invocationId")));
			}
			catch (org.springframework.ldap.NamingException ex) {
				// Not readable by the bind account: the server's name stands in for it.
			}
		}
		if (invocation == null || invocation.isEmpty()) {
			invocation = service;
		}
		return (invocation == null || invocation.isEmpty()) ? Optional.empty()
				: Optional.of(new UpdateMarks(highest, invocation));
	}

	/**
	 * The entries in scope of the filter that changed after the given update sequence
	 * number ({@code uSNChanged}), and the members of every mapped group that changed
	 * after it: a membership change raises the group's {@code uSNChanged}, not the
	 * member's ({@code memberOf} is a back-link). Each entry once.
	 */
	List<DirectoryRecord> readChanged(DirectorySettings settings, long afterUsn, Collection<String> mappedDns,
			IntConsumer progress) {
		LdapContextSource source = contextSource(settings, settings.bindDn(), settings.bindPassword());
		SearchControls controls = controls(settings, 0);
		ContextMapper<DirectoryRecord> mapper = mapper(settings);
		String changed = "(uSNChanged>=" + (afterUsn + 1) + ")";
		String filter = wrap(settings.userFilter());
		return SingleContextSource.doWithSingleContext(source, (operations) -> {
			Map<String, DirectoryRecord> all = new LinkedHashMap<>();
			readPaged(operations, settings.baseDn(), "(&" + filter + changed + ")", controls, mapper, all, progress);
			SearchControls one = new SearchControls();
			one.setSearchScope(SearchControls.OBJECT_SCOPE);
			one.setReturningAttributes(new String[] { "objectClass" });
			for (String dn : mappedDns) {
				boolean groupChanged;
				try {
					groupChanged = !operations
						.search(dn, "(&(objectClass=group)" + changed + ")", one, (ContextMapper<String>) (entry) -> dn)
						.isEmpty();
				}
				catch (org.springframework.ldap.NameNotFoundException ex) {
					// A mapping line that names nothing: the full sync reports what it
					// finds.
					groupChanged = false;
				}
				if (groupChanged) {
					readPaged(operations, settings.baseDn(),
							"(&" + filter + "(memberOf=" + LdapEncoder.filterEncode(dn) + "))", controls, mapper, all,
							progress);
				}
			}
			return new ArrayList<>(all.values());
		}, false, true, false);
	}

	private void readPaged(org.springframework.ldap.core.LdapOperations operations, String base, String filter,
			SearchControls controls, ContextMapper<DirectoryRecord> mapper, Map<String, DirectoryRecord> all,
			IntConsumer progress) {
		PagedResultsDirContextProcessor pages = new PagedResultsDirContextProcessor(this.properties.pageSize());
		do {
			for (DirectoryRecord record : operations.search(base, filter, controls, mapper, pages)) {
				all.putIfAbsent(record.dn().toLowerCase(java.util.Locale.ROOT), record);
			}
			progress.accept(all.size());
		}
		while (pages.hasMore());
	}

	private static String wrap(String filter) {
		String strip = filter.strip();
		return strip.startsWith("(") ? strip : "(" + strip + ")";
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
		// invocationId: the DC's database, read for the delta sync.
		environment.put("java.naming.ldap.attributes.binary", "objectGUID".equalsIgnoreCase(settings.idAttribute())
				? settings.idAttribute() + " invocationId" : "invocationId");
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

	/**
	 * Where a domain controller stood at the start of a run.
	 *
	 * @param highestCommittedUsn its {@code highestCommittedUSN}
	 * @param invocationId the {@code invocationId} of its database (hex), or its server's
	 * name when that cannot be read
	 */
	record UpdateMarks(long highestCommittedUsn, String invocationId) {
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
