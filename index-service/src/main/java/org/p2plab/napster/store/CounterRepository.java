package org.p2plab.napster.store;

import org.springframework.data.jpa.repository.JpaRepository;

public interface CounterRepository extends JpaRepository<CounterEntity, String> {
}
