package io.seatkeeper.license;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;
import jakarta.persistence.QueryHint;

import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.jpa.repository.QueryHints;
import org.springframework.data.repository.Repository;

interface LicensePools extends Repository<LicensePool, Pool> {

	/**
	 * Reads a pool's row and locks it until the transaction ends: a second caller, on
	 * this node or another, waits here.
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@QueryHints(@QueryHint(name = "jakarta.persistence.lock.timeout", value = "10000"))
	@Query("select p from LicensePool p where p.pool = :pool")
	Optional<LicensePool> lockPool(Pool pool);

	Optional<LicensePool> findById(Pool pool);

	List<LicensePool> findAll();

	/**
	 * The pools' expiry dates, as values: reading them puts no pool row in the
	 * persistence context.
	 */
	@Query("select p.expiresOn from LicensePool p where p.expiresOn is not null")
	List<LocalDate> expiryDates();

	LicensePool save(LicensePool pool);

}
