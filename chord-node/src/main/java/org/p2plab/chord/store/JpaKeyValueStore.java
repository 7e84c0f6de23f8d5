package org.p2plab.chord.store;

import java.util.List;
import java.util.Optional;

import org.p2plab.overlay.kv.DhtEntry;
import org.p2plab.overlay.kv.KeyValueStore;

/** The protocol's store on JPA/H2 (a file by default), so a restarted node still has its keys. */
public class JpaKeyValueStore implements KeyValueStore {

    private final EntryRepository repository;

    public JpaKeyValueStore(EntryRepository repository) {
        this.repository = repository;
    }

    @Override
    public Optional<DhtEntry> get(String key) {
        return repository.findById(key).map(JpaKeyValueStore::toEntry);
    }

    @Override
    public void put(DhtEntry e) {
        repository.save(new EntryEntity(e.key(), e.keyId().toHex(), e.value(), e.contentType(), e.version(), e.deleted()));
    }

    @Override
    public void remove(String key) {
        repository.deleteById(key);
    }

    @Override
    public List<DhtEntry> all() {
        return repository.findAll().stream().map(JpaKeyValueStore::toEntry).toList();
    }

    @Override
    public List<KeyVersion> versions() {
        return repository.findAllVersions().stream()
                .map(v -> new KeyVersion(v.getKey(), v.getVersion(), v.isDeleted())).toList();
    }

    private static DhtEntry toEntry(EntryEntity e) {
        return new DhtEntry(e.getKey(), e.getValue(), e.getContentType(), e.getVersion(), e.isDeleted());
    }
}
