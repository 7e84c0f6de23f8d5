package org.p2plab.overlay.kv;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A {@link KeyValueStore} in a sorted concurrent map; for simulations and tests. */
public final class InMemoryKeyValueStore implements KeyValueStore {

    private final ConcurrentSkipListMap<String, DhtEntry> entries = new ConcurrentSkipListMap<>();

    @Override
    public Optional<DhtEntry> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    @Override
    public void put(DhtEntry entry) {
        entries.put(entry.key(), entry);
    }

    @Override
    public void remove(String key) {
        entries.remove(key);
    }

    @Override
    public List<DhtEntry> all() {
        return List.copyOf(entries.values());
    }

    @Override
    public List<KeyVersion> versions() {
        return entries.values().stream().map(e -> new KeyVersion(e.key(), e.version(), e.deleted())).toList();
    }
}
