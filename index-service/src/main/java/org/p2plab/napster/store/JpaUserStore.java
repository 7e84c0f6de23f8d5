package org.p2plab.napster.store;

import java.util.Optional;

import org.p2plab.napster.protocol.IndexServer;
import org.p2plab.napster.protocol.UserRecord;
import org.p2plab.napster.protocol.UserStore;

/** The index's users in H2 through JPA: registrations survive a restart. */
public class JpaUserStore implements UserStore {

    private final UserRepository repository;

    public JpaUserStore(UserRepository repository) {
        this.repository = repository;
    }

    @Override
    public Optional<UserRecord> find(String nick) {
        return repository.findById(IndexServer.key(nick)).map(UserEntity::toRecord);
    }

    @Override
    public void save(UserRecord user) {
        repository.save(new UserEntity(user));
    }

    @Override
    public long count() {
        return repository.count();
    }
}
