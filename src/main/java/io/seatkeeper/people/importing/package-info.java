/**
 * People upload: reads a CSV file, keeps each upload as a job with its progress and
 * report, and serves the upload's pages and API.
 */
package io.seatkeeper.people.importing;
