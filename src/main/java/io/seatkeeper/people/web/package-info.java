/**
 * The people and area pages of the console and the profiles API, which change profiles
 * only through {@code PeopleService} and {@code AreaService}.
 */
package io.seatkeeper.people.web;
