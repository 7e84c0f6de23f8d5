package org.p2plab.napster.protocol;

import java.util.Optional;

/** Where the index keeps its registered users (JPA in the service; a map in tests and the benchmark). */
public interface UserStore {

    /** The user whose nick equals {@code nick} ignoring case. */
    Optional<UserRecord> find(String nick);

    /** Inserts or replaces the user with this nick (ignoring case). */
    void save(UserRecord user);

    /** Number of registered users. */
    long count();

    /** An in-memory store. */
    static UserStore inMemory() {
        java.util.Map<String, UserRecord> users = new java.util.concurrent.ConcurrentHashMap<>();
        return new UserStore() {
            @Override
            public Optional<UserRecord> find(String nick) {
                return Optional.ofNullable(users.get(IndexServer.key(nick)));
            }

            @Override
            public void save(UserRecord user) {
                users.put(IndexServer.key(user.nick()), user);
            }

            @Override
            public long count() {
                return users.size();
            }
        };
    }
}
