package org.p2plab.napster.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.p2plab.napster.protocol.IndexServer;
import org.p2plab.napster.protocol.UserRecord;

/** A registered Napster user (the password as a bcrypt hash). */
@Entity
@Table(name = "napster_user")
public class UserEntity {

    /** The nick in lower case: nicks are unique regardless of case. */
    @Id
    @Column(name = "nick_key", length = 64)
    private String nickKey;

    @Column(length = 64, nullable = false)
    private String nick;

    @Column(length = 100, nullable = false)
    private String passwordHash;

    @Column(length = 255)
    private String email;

    private int linkSpeed;

    @Column(name = "user_level", length = 16)
    private String level;

    private Instant registered;

    private Instant lastSeen;

    private long logins;

    private long totalDownloads;

    private long totalUploads;

    protected UserEntity() {
    }

    UserEntity(UserRecord u) {
        nickKey = IndexServer.key(u.nick());
        nick = u.nick();
        passwordHash = u.passwordHash();
        email = u.email();
        linkSpeed = u.linkSpeed();
        level = u.level();
        registered = u.registered();
        lastSeen = u.lastSeen();
        logins = u.logins();
        totalDownloads = u.totalDownloads();
        totalUploads = u.totalUploads();
    }

    UserRecord toRecord() {
        return new UserRecord(nick, passwordHash, email, linkSpeed, level, registered, lastSeen, logins, totalDownloads, totalUploads);
    }
}
