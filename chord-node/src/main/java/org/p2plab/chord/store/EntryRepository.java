package org.p2plab.chord.store;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface EntryRepository extends JpaRepository<EntryEntity, String> {

    /** Key, version and deletion flag of every entry, without loading the values. */
    @Query("select e.key as key, e.version as version, e.deleted as deleted from EntryEntity e")
    List<VersionView> findAllVersions();

    interface VersionView {
        String getKey();

        long getVersion();

        boolean isDeleted();
    }
}
