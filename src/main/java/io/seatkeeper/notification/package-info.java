/**
 * The responsible person and the licence-limit mails: one mail per pool per episode,
 * queued in a database outbox with the event that caused it and delivered until the mail
 * server accepts it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Notification")
package io.seatkeeper.notification;
