package io.seatkeeper.directory;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The directory sync's settings from configuration (environment variables such as
 * {@code SEATKEEPER_DIRECTORY_BIND_PASSWORD}). Each one that is set wins over the value
 * kept in the database, and the settings page shows it as set by configuration.
 *
 * @param url the directory's address, {@code ldap://} or {@code ldaps://}
 * @param startTls whether to switch an {@code ldap://} connection to TLS with StartTLS
 * @param bindDn the DN the sync binds with to read the directory
 * @param bindPassword the password of the bind DN
 * @param baseDn where the search for users starts
 * @param userFilter the LDAP filter that selects users
 * @param usernameAttribute the attribute that holds the username
 * @param emailAttribute the attribute that holds the e-mail address
 * @param firstNameAttribute the attribute that holds the first name
 * @param lastNameAttribute the attribute that holds the last name
 * @param idAttribute the attribute that holds the entry's stable id
 * @param areaMapping the area mapping, one {@code DN -> area name} per line
 * @param cron when the sync runs ({@code -} for never)
 * @param activateWhenFree whether a freed licence activates the oldest awaiting directory
 * profile at once
 * @param maxBlockPercent the largest share (percent) of the profiles it manages that a
 * run may block without a sysadmin's confirmation
 * @param pageSize the page size of the paged search
 * @param chunkSize how many profiles each apply transaction changes
 * @param lockTimeout after how long a sync lock whose run was never recorded is free
 * again (a run whose node died gives it back when it is failed, after
 * {@code seatkeeper.jobs.heartbeat-timeout})
 * @param connectTimeout how long a connection to the directory may take
 * @param readTimeout how long the directory may take to answer one request
 * @param signInNames whether directory users may also sign in with their user principal
 * name ({@code user@corp.example.test}) and {@code DOMAIN\\user}
 * @param upnSuffixes the UPN suffixes accepted at sign-in (by default the base DN's DNS
 * domain; {@code -} for none)
 * @param netbiosDomains the NetBIOS domain names accepted at sign-in (by default the
 * first label of the base DN's DNS domain, upper-cased; {@code -} for none)
 * @param rehireMatch whether an account that comes back with a new stable id (a rehire)
 * is matched to the profile that the directory removed, by username, then e-mail
 * @param fullSyncCron when a full sync runs (default nightly at 02:00; {@code -} for
 * never), beside the schedule of the settings, whose runs are deltas when they can be
 * @param caCertificates a PEM file of the CA certificates that {@code ldaps://} and
 * StartTLS connections trust instead of the JVM's trust store (an internal CA), if set
 */
@ConfigurationProperties("seatkeeper.directory")
record DirectoryProperties(String url, Boolean startTls, String bindDn, String bindPassword, String baseDn,
		String userFilter, String usernameAttribute, String emailAttribute, String firstNameAttribute,
		String lastNameAttribute, String idAttribute, String areaMapping, String cron, Boolean activateWhenFree,
		Integer maxBlockPercent, @DefaultValue("500") int pageSize, @DefaultValue("1000") int chunkSize,
		@DefaultValue("6h") Duration lockTimeout, @DefaultValue("10s") Duration connectTimeout,
		@DefaultValue("2m") Duration readTimeout, @DefaultValue("true") boolean signInNames, List<String> upnSuffixes,
		List<String> netbiosDomains, @DefaultValue("true") boolean rehireMatch,
		@DefaultValue("0 0 2 * * *") String fullSyncCron, String caCertificates) {

}
