package org.p2plab.napster.protocol;

/**
 * What the index tells a logged-in user unasked. The TCP connection turns each call into its
 * Napster message (in brackets); a REST session queues them as events for its owner to fetch.
 * Implementations must not block: the index calls them from other users' threads.
 */
public interface SessionLink {

    /** [607] {@code downloader} asks for {@code path}; answer {@link IndexServer#acceptUpload} (608) or {@link IndexServer#queueLimit} (619). */
    void uploadRequest(String downloader, String path, int downloaderSpeed);

    /** [204] the sharer accepted: connect to its data port (0: it is firewalled; ask it to push). */
    void downloadAck(DownloadTicket ticket);

    /** [206] the download cannot be brokered (the sharer left, or no longer shares the file). */
    void downloadError(String nick, String path);

    /** [609] the sharer did not accept in time. */
    void acceptFailed(String nick, String path);

    /** [620] the sharer's upload slots are full: try later. */
    void queueLimit(String uploader, String path, long size, int limit);

    /** [501] push {@code path} to the downloader's data port (this user is firewalled). */
    void pushRequest(String downloader, String ip, int port, String path, String md5, int downloaderSpeed);

    /** [209] a user on this user's hotlist logged in. */
    void userSignon(String nick, int linkSpeed);

    /** [210] a user on this user's hotlist left. */
    void userSignoff(String nick);

    /** [751] {@code by} pings this user; answer {@link IndexServer#pong}. */
    void pinged(String by);

    /** [752] {@code by} answered this user's ping. */
    void ponged(String by);

    /** [404] an error about something this user asked earlier. */
    void error(String text);

    /** [404, then the connection closes] the session ended from elsewhere (a login with the same nick). */
    void ended(String reason);
}
