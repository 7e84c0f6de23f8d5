package org.p2plab.napster.protocol;

import java.time.Instant;

/**
 * A registered user, as the index keeps it across restarts.
 *
 * @param nick           as registered (nicks are unique regardless of case)
 * @param passwordHash   a bcrypt hash, never the password (Napster stored and compared plain text)
 * @param email          as given at registration ("anon@..." if none)
 * @param linkSpeed      the last declared link speed (0..10)
 * @param level          "User", "Moderator", "Admin" or "Elite"
 * @param registered     when
 * @param lastSeen       the last login or logout
 * @param logins         how many times the user logged in
 * @param totalDownloads transfers the user reported as downloads (218), ever
 * @param totalUploads   transfers the user reported as uploads (220), ever
 */
public record UserRecord(String nick, String passwordHash, String email, int linkSpeed, String level, Instant registered,
                         Instant lastSeen, long logins, long totalDownloads, long totalUploads) {

    public static final String USER = "User";

    public UserRecord withLogin(Instant at, int speed) {
        return new UserRecord(nick, passwordHash, email, speed, level, registered, at, logins + 1, totalDownloads, totalUploads);
    }

    public UserRecord withLastSeen(Instant at) {
        return new UserRecord(nick, passwordHash, email, linkSpeed, level, registered, at, logins, totalDownloads, totalUploads);
    }

    public UserRecord withPasswordHash(String hash) {
        return new UserRecord(nick, hash, email, linkSpeed, level, registered, lastSeen, logins, totalDownloads, totalUploads);
    }

    public UserRecord withEmail(String e) {
        return new UserRecord(nick, passwordHash, e, linkSpeed, level, registered, lastSeen, logins, totalDownloads, totalUploads);
    }

    public UserRecord withLinkSpeed(int s) {
        return new UserRecord(nick, passwordHash, email, s, level, registered, lastSeen, logins, totalDownloads, totalUploads);
    }

    public UserRecord withTransfers(long downloads, long uploads) {
        return new UserRecord(nick, passwordHash, email, linkSpeed, level, registered, lastSeen, logins, totalDownloads + downloads,
                totalUploads + uploads);
    }
}
