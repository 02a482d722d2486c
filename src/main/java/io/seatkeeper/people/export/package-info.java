/**
 * People export: streams the chosen columns of the matching profiles as CSV, from the
 * console's form and the API.
 */
package io.seatkeeper.people.export;
