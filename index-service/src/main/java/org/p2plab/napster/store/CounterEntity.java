package org.p2plab.napster.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One of the index's cumulative statistics (logins, searches, downloads brokered, pushes). */
@Entity
@Table(name = "napster_counter")
public class CounterEntity {

    @Id
    @Column(length = 32)
    private String name;

    @Column(name = "counter_value")
    private long value;

    protected CounterEntity() {
    }

    public CounterEntity(String name, long value) {
        this.name = name;
        this.value = value;
    }

    public String getName() {
        return name;
    }

    public long getValue() {
        return value;
    }
}
