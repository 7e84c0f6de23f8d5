package org.p2plab.overlay.kv;

import java.util.List;
import java.util.Optional;

/**
 * Where a DHT node keeps the entries it holds, as owner or as replica (Chord, CAN). A real service backs it
 * with JPA (chord-node) or memory; simulations with {@link InMemoryKeyValueStore}. Implementations must be thread-safe.
 */
public interface KeyValueStore {

    Optional<DhtEntry> get(String key);

    void put(DhtEntry entry);

    void remove(String key);

    /** Every entry, tombstones included. */
    List<DhtEntry> all();

    /** Key and version of every entry, without the values (cheap for digests). */
    List<KeyVersion> versions();

    record KeyVersion(String key, long version, boolean deleted) {
    }
}
