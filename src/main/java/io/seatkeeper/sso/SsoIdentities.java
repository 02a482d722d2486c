package io.seatkeeper.sso;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface SsoIdentities extends JpaRepository<SsoIdentity, Long> {

	@Query("select i.profileId from SsoIdentity i where i.issuer = ?1 and i.subject = ?2")
	Optional<Long> findProfileId(String issuer, String subject);

}
