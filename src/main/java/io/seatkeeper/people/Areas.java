package io.seatkeeper.people;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

interface Areas extends Repository<Area, Long> {

	Optional<Area> findById(Long id);

	@Query("select a from Area a where a.nameKey = :nameKey")
	Optional<Area> findByNameKey(String nameKey);

	@Query("select a from Area a where a.kind = io.seatkeeper.people.AreaKind.PRIMARY")
	Area primary();

	@Query("select a from Area a order by case a.kind when io.seatkeeper.people.AreaKind.PRIMARY then 0 else 1 end, a.nameKey")
	List<Area> findAllOrdered();

	Area save(Area area);

	void delete(Area area);

}
