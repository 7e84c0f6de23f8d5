package org.p2plab.napster.protocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

import org.p2plab.napster.protocol.NapsterException.Reason;

/**
 * The server's side of one Napster TCP connection: the login exchange, then every command a
 * logged-in client may send, each answered as OpenNap answers it; and the index's unasked
 * messages to this user ({@link SessionLink}) as frames.
 * <p>
 * Plain Java with no socket: the transport feeds it frames ({@link #onFrame}) and gives it an
 * {@link Output}, so the same code runs under the TCP server, in the codec tests and under the
 * fuzzer. Bad input never escapes as an exception: before login it gets 0 (or 10) and the
 * connection is closed; after login 404, and the connection goes on. Nothing above type
 * {@link MsgType#MAX_SENT} is ever sent.
 */
public final class NapsterConnection implements SessionLink {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NapsterConnection.class);

    /**
     * Where the connection's frames go. {@link #send} carries the answers to this client's own
     * commands (from its own thread: it may wait while the client's queue is full, which stalls
     * only that client); {@link #deliver} carries what other users' actions send it (from their
     * threads: it must never wait, and drops the frame if the client is not reading).
     */
    public interface Output {
        void send(Frame frame);

        /** Queues a frame another user's action sends; false if it was dropped (the client's queue is full). */
        default boolean deliver(Frame frame) {
            send(frame);
            return true;
        }

        /** Closes the connection after the frames already sent. */
        void close();
    }

    /**
     * What the server says about itself after a login (the 621 lines).
     *
     * @param serverName the SERVER line
     * @param motd       the message of the day, one 621 per line
     */
    public record Greeting(String serverName, List<String> motd) {
    }

    private final IndexServer server;
    private final Output out;
    private final String remoteIp;
    private final Greeting greeting;
    private final int maxPayload;
    private final AtomicLong errorsSent;
    private volatile Session session;
    private volatile boolean closed;

    /**
     * @param remoteIp   the client's IPv4 address, dotted
     * @param maxPayload the longest payload accepted (longer frames are refused)
     * @param errorsSent counts the error replies (0, 10, 404) of every connection
     */
    public NapsterConnection(IndexServer server, Output out, String remoteIp, Greeting greeting, int maxPayload,
                             AtomicLong errorsSent) {
        this.server = server;
        this.out = out;
        this.remoteIp = remoteIp;
        this.greeting = greeting;
        this.maxPayload = maxPayload;
        this.errorsSent = errorsSent;
    }

    public Session session() {
        return session;
    }

    public boolean loggedIn() {
        return session != null;
    }

    /** One frame from the client. Never throws. */
    public void onFrame(Frame f) {
        if (closed) {
            return;
        }
        try {
            if (session == null) {
                beforeLogin(f);
            }
            else {
                afterLogin(session, f);
            }
        }
        catch (MalformedFrameException e) {
            refuse("invalid parameters for command " + f.type() + ": " + e.getMessage());
        }
        catch (IllegalArgumentException e) { // a SharedFile or a field the index refuses
            refuse("invalid parameters for command " + f.type() + ": " + e.getMessage());
        }
        catch (NapsterException e) {
            refuse(e.getMessage());
        }
        catch (RuntimeException e) { // a bug: logged, answered, the connection goes on
            LOG.error("napster: command {} from {} failed", f.type(), remoteIp, e);
            refuse("server error on command " + f.type());
        }
    }

    /** A frame whose payload was longer than the limit (already skipped). Never throws. */
    public void onTooLong(int type, int length) {
        refuse("message too long: command " + type + " has " + length + " bytes (the limit is " + maxPayload + ")");
        if (session != null && type == MsgType.SEARCH) {
            send(MsgType.SEARCH_END, ""); // a search always ends with 202, so that the client stops waiting
        }
        else if (session != null && type == MsgType.BROWSE) {
            send(MsgType.USER_SIGNOFF, "-");
        }
    }

    /** The connection did not log in in time: answered with 0 and closed. */
    public void onLoginTimeout(java.time.Duration timeout) {
        if (session == null) {
            refuse("log in within " + timeout.toSeconds() + " s of connecting");
        }
    }

    /** The connection ended (either side): the session's shares leave the index. */
    public void onClosed() {
        closed = true;
        Session s = session;
        if (s != null) {
            server.logout(s);
        }
    }

    private void refuse(String text) {
        errorsSent.incrementAndGet();
        if (session == null) {
            send(MsgType.ERROR, text);
            closeNow();
        }
        else {
            send(MsgType.ERROR_MESSAGE, text);
        }
    }

    private void closeNow() {
        closed = true;
        out.close();
    }

    private void send(int type, String payload) {
        out.send(new Frame(type, payload));
    }

    /** A message other users' actions send this client (never waits; dropped if the client does not read). */
    private void deliver(int type, String payload) {
        out.deliver(new Frame(type, payload));
    }

    // ---- before login ----

    private void beforeLogin(Frame f) {
        switch (f.type()) {
            case MsgType.LOGIN, MsgType.NEW_USER_LOGIN -> login(f);
            case MsgType.NICK_CHECK -> {
                List<String> a = f.fields();
                send(server.checkNick(a.isEmpty() ? "" : a.get(0)), "");
            }
            // version check (no upgrade offered), login options, BETA8's 920: accepted, no answer
            case MsgType.VERSION_CHECK, MsgType.LOGIN_OPTIONS, MsgType.CLIENT_VERSION_BETA8 -> {
            }
            default -> refuse("command " + f.type() + " before login: log in first (2)");
        }
    }

    private void login(Frame f) {
        boolean newUser = f.type() == MsgType.NEW_USER_LOGIN;
        List<String> a = f.fields();
        if (a.size() < 5 || newUser && a.size() < 6) {
            refuse("Too few parameters for login.");
            return;
        }
        String nick = a.get(0);
        if (!IndexServer.validNick(nick)) {
            errorsSent.incrementAndGet();
            send(MsgType.NICK_INVALID, "Invalid nick: " + Fields.abbreviate(nick));
            closeNow();
            return;
        }
        int port = Fields.intField(a, 2, "the data port", 0, 65535);
        int speed = Fields.intField(a, 4, "the link speed", 0, LinkSpeed.MAX);
        String email = a.size() > 5 ? a.get(5) : null;
        if (email != null && (email.length() > 254 || email.indexOf('"') >= 0)) {
            email = null;
        }
        Session s = server.login(new IndexServer.Login(nick, a.get(1), port, a.get(3).replace('"', '\''), speed, email, remoteIp,
                Session.Transport.TCP, newUser), this);
        session = s;
        if (closed) { // the connection ended while logging in
            server.logout(s);
            return;
        }
        send(MsgType.LOGIN_ACK, s.email());
        motd(s);
        stats();
    }

    private void motd(Session s) {
        send(MsgType.MOTD, "VERSION p2plab-napster 1.0");
        send(MsgType.MOTD, "SERVER " + greeting.serverName());
        send(MsgType.MOTD, "Welcome " + s.nick() + "!");
        for (String line : greeting.motd()) {
            send(MsgType.MOTD, line);
        }
    }

    private void stats() {
        IndexServer.Stats st = server.stats();
        send(MsgType.STATS, st.users() + " " + st.files() + " " + st.gigabytes());
    }

    // ---- after login ----

    private void afterLogin(Session s, Frame f) {
        switch (f.type()) {
            case MsgType.SHARE -> share(s, f.fields());
            case 870 -> shareDirectory(s, f.fields());
            case MsgType.UNSHARE -> {
                if (!server.unshare(s, pathOf(f.payload()))) {
                    refuse("Not sharing that file");
                }
            }
            case MsgType.UNSHARE_ALL -> server.unshareAll(s);
            case MsgType.SEARCH -> search(s, f.payload());
            case MsgType.DOWNLOAD_REQUEST -> download(s, f.fields(), false);
            case MsgType.PUSH_REQUEST -> download(s, f.fields(), true);
            case MsgType.UPLOAD_ACCEPT -> {
                List<String> a = f.fields();
                server.acceptUpload(s, Fields.field(a, 0, "the nick"), Fields.field(a, 1, "the file name"));
            }
            case MsgType.QUEUE_LIMIT -> {
                List<String> a = f.fields();
                server.queueLimit(s, Fields.field(a, 0, "the nick"), Fields.field(a, 1, "the file name"),
                        Fields.intField(a, 2, "the limit", 0, 1_000_000));
            }
            case MsgType.HOTLIST_ADD, MsgType.HOTLIST_INITIAL -> hotlist(s, f.fields());
            case MsgType.HOTLIST_REMOVE -> server.hotlistRemove(s, firstOrNull(f.fields()));
            case MsgType.BROWSE -> browse(browseNick(f.payload()));
            case MsgType.STATS -> stats();
            case MsgType.DOWNLOADING -> server.transfer(s, true, true);
            case MsgType.DOWNLOAD_COMPLETE -> server.transfer(s, true, false);
            case MsgType.UPLOADING -> server.transfer(s, false, true);
            case MsgType.UPLOAD_COMPLETE -> server.transfer(s, false, false);
            case MsgType.LINK_SPEED_REQUEST -> {
                String nick = Fields.field(f.fields(), 0, "the nick");
                send(MsgType.LINK_SPEED, nickOf(nick) + " " + server.linkSpeedOf(nick));
            }
            case MsgType.WHOIS -> whois(Fields.field(f.fields(), 0, "the nick"));
            case MsgType.MOTD -> motd(s);
            case MsgType.CHANGE_LINK_SPEED -> server.changeLinkSpeed(s, Fields.intField(f.fields(), 0, "the link speed", 0, LinkSpeed.MAX));
            case MsgType.CHANGE_PASSWORD -> server.changePassword(s, Fields.field(f.fields(), 0, "the password"));
            case MsgType.CHANGE_EMAIL -> server.changeEmail(s, Fields.field(f.fields(), 0, "the email address"));
            case MsgType.CHANGE_DATA_PORT -> server.changeDataPort(s, Fields.intField(f.fields(), 0, "the data port", 0, 65535));
            case MsgType.SERVER_PING -> {
                if (f.payload().isBlank()) {
                    send(MsgType.SERVER_PING, "");
                }
            }
            case MsgType.PING -> server.ping(s, Fields.field(f.fields(), 0, "the nick"));
            case MsgType.PONG -> server.pong(s, Fields.field(f.fields(), 0, "the nick"));
            case MsgType.VERSION_CHECK, MsgType.LOGIN_OPTIONS, MsgType.CLIENT_VERSION_BETA8, 316 -> {
            }
            case MsgType.LOGIN, MsgType.NEW_USER_LOGIN -> refuse("you are already logged in");
            default -> refuse("unknown command code " + f.type());
        }
    }

    /** The nick of a 211; a payload that is none still gets its answer (210), so that the client stops waiting. */
    private static String browseNick(String payload) {
        List<String> a;
        try {
            a = Fields.split(payload);
        }
        catch (MalformedFrameException e) {
            a = List.of();
        }
        if (a.isEmpty() || !IndexServer.validNick(a.get(0))) {
            return "-";
        }
        return a.get(0);
    }

    private static String firstOrNull(List<String> a) {
        return a.isEmpty() ? null : a.get(0);
    }

    /** 102's file name: napster.txt shows it bare (it may hold spaces); clients quote it too. */
    private static String pathOf(String payload) {
        String p = payload.strip();
        if (p.startsWith("\"")) {
            return Fields.field(Fields.split(p), 0, "the file name");
        }
        if (p.isEmpty()) {
            throw new MalformedFrameException("missing the file name");
        }
        return p;
    }

    private String nickOf(String nick) {
        return server.online(nick).map(Session::nick).orElse(nick);
    }

    private void share(Session s, List<String> a) {
        server.share(s, List.of(sharedFile(Fields.field(a, 0, "the file name"), a, 1)));
    }

    /** 870: {@code "dir" "file" md5 size bitrate freq duration ["file" md5 ...]}, the path is dir + separator + file. */
    private void shareDirectory(Session s, List<String> a) {
        String dir = Fields.field(a, 0, "the directory");
        if ((a.size() - 1) % 6 != 0 || a.size() < 7) {
            throw new MalformedFrameException("870 is a directory, then groups of \"file\" md5 size bitrate frequency duration");
        }
        String sep = dir.contains("\\") && !dir.contains("/") ? "\\" : "/";
        String prefix = dir.endsWith(sep) ? dir : dir + sep;
        List<SharedFile> files = new ArrayList<>();
        for (int i = 1; i < a.size(); i += 6) {
            files.add(sharedFile(prefix + Fields.field(a, i, "the file name"), a, i + 1));
        }
        server.share(s, files);
    }

    private static SharedFile sharedFile(String path, List<String> a, int at) {
        return new SharedFile(path, Fields.field(a, at, "the md5"), Fields.longField(a, at + 1, "the size", 0, SharedFile.MAX_SIZE),
                Fields.intField(a, at + 2, "the bitrate", 0, Integer.MAX_VALUE),
                Fields.intField(a, at + 3, "the frequency", 0, Integer.MAX_VALUE),
                Fields.intField(a, at + 4, "the duration", 0, Integer.MAX_VALUE));
    }

    /** 200 → 201 per hit, then 202, always (also after an error). */
    private void search(Session s, String payload) {
        try {
            for (IndexServer.Hit h : server.search(s, SearchRequest.parse(payload, server.params().maxResults()))) {
                SharedFile file = h.file();
                send(MsgType.SEARCH_RESULT, Fields.quote(file.path()) + " " + file.md5() + " " + file.size() + " " + file.bitrate()
                        + " " + file.frequency() + " " + file.length() + " " + h.nick() + " " + NapsterIp.encode(h.ip()) + " "
                        + h.linkSpeed());
            }
        }
        catch (MalformedFrameException e) {
            refuse("invalid search request: " + e.getMessage());
        }
        catch (NapsterException e) {
            refuse(e.getMessage());
        }
        finally {
            send(MsgType.SEARCH_END, "");
        }
    }

    /** 203 (or 500 for a push): brokered; the answer (204, 206, 609, 620; nothing more for a push) comes when the sharer answers. */
    private void download(Session s, List<String> a, boolean push) {
        String nick = Fields.field(a, 0, "the nick");
        String path = Fields.field(a, 1, "the file name");
        CompletableFuture<DownloadTicket> r;
        try {
            r = push ? server.requestPush(s, nick, path) : server.requestDownload(s, nick, path);
        }
        catch (NapsterException e) {
            downloadFailed(nick, path, e);
            return;
        }
        r.whenComplete((ticket, error) -> {
            if (error == null) {
                if (!push) {
                    downloadAck(ticket);
                }
            }
            else {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                downloadFailed(nick, path, cause instanceof NapsterException ne ? ne
                        : new NapsterException(Reason.OFFLINE, cause.toString()));
            }
        });
    }

    private void downloadFailed(String nick, String path, NapsterException e) {
        switch (e.reason()) {
            case QUEUE_FULL -> {
                IndexServer.QueueFullException q = (IndexServer.QueueFullException) e;
                queueLimit(q.uploader(), q.path(), q.size(), q.limit());
            }
            case TIMEOUT -> acceptFailed(nick, path);
            case FIREWALLED, NOT_FIREWALLED -> {
                refuse(e.getMessage());
                downloadError(nick, path);
            }
            default -> downloadError(nick, path);
        }
    }

    private void hotlist(Session s, List<String> a) {
        String nick = a.isEmpty() ? "" : a.get(0);
        if (!IndexServer.validNick(nick)) {
            send(MsgType.HOTLIST_ERROR, Fields.abbreviate(nick).replace(' ', '_'));
            return;
        }
        boolean online = server.hotlistAdd(s, nick);
        send(MsgType.HOTLIST_ACK, nick);
        if (online) {
            server.online(nick).ifPresent(o -> userSignon(o.nick(), o.linkSpeed()));
        }
    }

    private void browse(String nick) {
        List<SharedFile> files;
        try {
            files = server.browse(nick);
        }
        catch (NapsterException e) {
            send(MsgType.USER_SIGNOFF, nick);
            return;
        }
        Session o = server.online(nick).orElse(null);
        String shown = o == null ? nick : o.nick();
        for (SharedFile file : files) {
            send(MsgType.BROWSE_ENTRY, shown + " " + Fields.quote(file.path()) + " " + file.md5() + " " + file.size() + " "
                    + file.bitrate() + " " + file.frequency() + " " + file.length());
        }
        send(MsgType.BROWSE_END, shown + (o == null ? "" : " " + NapsterIp.encode(o.ip())));
    }

    private void whois(String nick) {
        IndexServer.Whois w;
        try {
            w = server.whois(nick);
        }
        catch (NapsterException e) {
            refuse(e.getMessage());
            return;
        }
        if (w.online()) {
            send(MsgType.WHOIS_RESPONSE, w.nick() + " " + Fields.quote(w.level()) + " " + w.secondsOnline() + " \"\" \"Active\" "
                    + w.shared() + " " + w.downloading() + " " + w.uploading() + " " + w.linkSpeed() + " " + Fields.quote(w.clientInfo()));
        }
        else {
            Instant seen = w.lastSeen();
            send(MsgType.WHOWAS, w.nick() + " " + Fields.quote(w.level()) + " " + (seen == null ? 0 : seen.getEpochSecond()));
        }
    }

    // ---- the index's messages to this user ----

    @Override
    public void uploadRequest(String downloader, String path, int downloaderSpeed) {
        deliver(MsgType.UPLOAD_REQUEST, downloader + " " + Fields.quote(path) + " " + downloaderSpeed);
    }

    @Override
    public void downloadAck(DownloadTicket t) {
        deliver(MsgType.DOWNLOAD_ACK, t.nick() + " " + NapsterIp.encode(t.ip()) + " " + t.port() + " " + Fields.quote(t.path()) + " "
                + t.md5() + " " + t.linkSpeed());
    }

    @Override
    public void downloadError(String nick, String path) {
        deliver(MsgType.GET_ERROR, nick + " " + Fields.quote(path));
    }

    @Override
    public void acceptFailed(String nick, String path) {
        deliver(609, nick + " " + Fields.quote(path));
    }

    @Override
    public void queueLimit(String uploader, String path, long size, int limit) {
        deliver(MsgType.QUEUE_LIMIT_NOTICE, uploader + " " + Fields.quote(path) + " " + size + " " + limit);
    }

    @Override
    public void pushRequest(String downloader, String ip, int port, String path, String md5, int downloaderSpeed) {
        deliver(MsgType.PUSH_ACK, downloader + " " + NapsterIp.encode(ip) + " " + port + " " + Fields.quote(path) + " " + md5 + " "
                + downloaderSpeed);
    }

    @Override
    public void userSignon(String nick, int linkSpeed) {
        deliver(MsgType.USER_SIGNON, nick + " " + linkSpeed);
    }

    @Override
    public void userSignoff(String nick) {
        deliver(MsgType.USER_SIGNOFF, nick);
    }

    @Override
    public void pinged(String by) {
        deliver(MsgType.PING, by);
    }

    @Override
    public void ponged(String by) {
        deliver(MsgType.PONG, by);
    }

    @Override
    public void error(String text) {
        deliver(MsgType.ERROR_MESSAGE, text);
    }

    @Override
    public void ended(String reason) {
        deliver(MsgType.ERROR_MESSAGE, reason);
        closeNow();
    }
}
