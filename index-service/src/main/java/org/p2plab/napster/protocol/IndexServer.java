package org.p2plab.napster.protocol;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import org.p2plab.napster.protocol.NapsterException.Reason;

/**
 * The Napster index: registered users, the online users' sessions, the inverted index of their
 * shares, the hotlists, and the brokering of downloads (request, the sharer accepts, the
 * downloader learns where to connect; or the firewalled sharer is asked to push). One instance
 * serves both doors: the Napster TCP protocol ({@code NapsterConnection}) and REST.
 * <p>
 * Plain Java, thread-safe: every method may be called from any connection's thread. A session's
 * own lock is taken before the index's, never the other way round; no lock is held while a
 * {@link SessionLink} is called.
 */
public final class IndexServer {

    /** Napster Inc.'s nick characters (napster.txt, message 10), at most 50 of them (OpenNap's MAX_NICKLEN). */
    private static final Pattern NICK = Pattern.compile("[A-Za-z0-9_\\[\\]{}\\-@^!$]{1,50}");
    private static final HexFormat HEX = HexFormat.of();

    /**
     * The index's knobs.
     *
     * @param maxResults       the most hits one search returns (Napster's 100)
     * @param maxSharesPerUser the most files one user may share
     * @param autoRegister     a login (2) with an unknown nick registers it, as OpenNap does
     * @param acceptTimeout    how long a download request waits for the sharer's 608
     * @param restSessionTtl   a REST session ends after this long without a call (TCP sessions end
     *                         when the connection does)
     */
    public record Params(int maxResults, int maxSharesPerUser, boolean autoRegister, Duration acceptTimeout,
                         Duration restSessionTtl) {

        public Params {
            if (maxResults < 1 || maxSharesPerUser < 1) {
                throw new IllegalArgumentException("max-results and max-shares-per-user are >= 1");
            }
            if (acceptTimeout.isNegative() || acceptTimeout.isZero() || restSessionTtl.isNegative() || restSessionTtl.isZero()) {
                throw new IllegalArgumentException("the accept timeout and the REST session TTL are positive");
            }
        }

        public static Params defaults() {
            return new Params(100, 10_000, true, Duration.ofSeconds(30), Duration.ofMinutes(10));
        }
    }

    /** A login's fields (2 and 6); {@code linkSpeed} -1: the one the user last declared. */
    public record Login(String nick, String password, int dataPort, String clientInfo, int linkSpeed, String email,
                        String ip, Session.Transport transport, boolean newUser) {
    }

    /** One search hit: the file and how to reach its sharer. */
    public record Hit(SharedFile file, String nick, String ip, int linkSpeed, int dataPort) {
    }

    /** Whois (604) or whowas (605: {@code online} false; only nick, level and last seen are meaningful). */
    public record Whois(String nick, String level, boolean online, long secondsOnline, int shared, int downloading,
                        int uploading, int linkSpeed, String clientInfo, long totalDownloads, long totalUploads, String ip,
                        int dataPort, String email, Instant lastSeen) {
    }

    /** Server statistics (214) and cumulative counters. */
    public record Stats(int users, int files, long bytes, long registered, long logins, long searches,
                        long downloadsBrokered, long pushes) {

        /** The library in whole gigabytes (214's third field). */
        public long gigabytes() {
            return bytes >> 30;
        }
    }

    /** Told of every search and every brokered download, for the metrics. */
    public interface Observer {
        Observer NONE = new Observer() {
            @Override
            public void searched(Duration took, int hits) {
            }

            @Override
            public void brokered(Duration took, boolean accepted) {
            }
        };

        void searched(Duration took, int hits);

        /** A download request was answered: accepted (204 or a push), or refused, timed out, or its sharer left. */
        void brokered(Duration took, boolean accepted);
    }

    /** A download waiting for the sharer's 608. */
    private record Pending(Session downloader, Session sharer, SharedFile file, boolean push,
                           CompletableFuture<DownloadTicket> result, long deadline) {
    }

    private final UserStore users;
    private final PasswordHasher hasher;
    private final Params params;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();
    private final ShareIndex<Session> index = new ShareIndex<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Session> byToken = new ConcurrentHashMap<>();
    private final Map<String, Set<Session>> watchers = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Object registration = new Object();
    private final AtomicLong logins = new AtomicLong();
    private final AtomicLong searches = new AtomicLong();
    private final AtomicLong brokered = new AtomicLong();
    private final AtomicLong pushes = new AtomicLong();
    private volatile Observer observer = Observer.NONE;

    public IndexServer(UserStore users, PasswordHasher hasher, Params params, InstantSource clock) {
        this.users = users;
        this.hasher = hasher;
        this.params = params;
        this.clock = clock;
    }

    /** The map key of a nick: nicks are unique regardless of case. */
    public static String key(String nick) {
        return nick.toLowerCase(Locale.ROOT);
    }

    public static boolean validNick(String nick) {
        return nick != null && NICK.matcher(nick).matches();
    }

    public Params params() {
        return params;
    }

    public void observer(Observer o) {
        observer = o == null ? Observer.NONE : o;
    }

    // ---- users and sessions ----

    /** 7: whether {@code nick} is free (8), registered (9) or invalid (10). */
    public int checkNick(String nick) {
        if (!validNick(nick)) {
            return MsgType.NICK_INVALID;
        }
        return users.find(nick).isPresent() ? MsgType.NICK_REGISTERED : MsgType.NICK_NOT_REGISTERED;
    }

    /** Registers {@code nick} (REST {@code POST /users}; 6 registers and logs in). */
    public UserRecord register(String nick, String password, String email, int linkSpeed) {
        checkUser(nick, password, linkSpeed);
        String hash = hasher.hash(password); // slow by design: outside every lock
        Instant now = clock.instant();
        synchronized (registration) {
            if (users.find(nick).isPresent()) {
                throw new NapsterException(Reason.NICK_TAKEN, "Nick registered to another user: " + nick);
            }
            UserRecord u = new UserRecord(nick, hash, blankToDefault(email, "anon@p2plab"), linkSpeed, UserRecord.USER, now, now, 0, 0, 0);
            users.save(u);
            return u;
        }
    }

    private static void checkUser(String nick, String password, int linkSpeed) {
        if (!validNick(nick)) {
            throw new NapsterException(Reason.INVALID_NICK, "Invalid nick: " + (nick == null ? "" : Fields.abbreviate(nick)));
        }
        if (password == null || password.isEmpty() || password.length() > 64 || password.indexOf(' ') >= 0) {
            throw new NapsterException(Reason.INVALID, "a password is 1..64 characters without spaces");
        }
        if (!LinkSpeed.valid(linkSpeed)) {
            throw new NapsterException(Reason.INVALID, linkSpeed + ": invalid speed (0..10)");
        }
    }

    private static String blankToDefault(String s, String d) {
        return s == null || s.isBlank() ? d : s.strip();
    }

    /**
     * 2 (login), 6 (new user login), REST {@code POST /sessions}. A login with the nick of a
     * session still open takes over: the old session ends (its connection is closed), so a peer
     * whose connection died can log in again at once.
     */
    public Session login(Login l, SessionLink link) {
        checkUser(l.nick(), l.password(), Math.max(0, l.linkSpeed()));
        if (l.dataPort() < 0 || l.dataPort() > 65535) {
            throw new NapsterException(Reason.INVALID, "the data port is 0..65535, got " + l.dataPort());
        }
        UserRecord u;
        if (l.newUser()) {
            u = register(l.nick(), l.password(), l.email(), Math.max(0, l.linkSpeed()));
        }
        else {
            Optional<UserRecord> found = users.find(l.nick());
            if (found.isEmpty()) {
                if (!params.autoRegister()) {
                    throw new NapsterException(Reason.NO_SUCH_USER, "No such user: " + l.nick() + " (register first)");
                }
                u = register(l.nick(), l.password(), l.email(), Math.max(0, l.linkSpeed()));
            }
            else if (!hasher.matches(l.password(), found.get().passwordHash())) {
                throw new NapsterException(Reason.BAD_PASSWORD, "Invalid Password");
            }
            else {
                u = found.get();
            }
        }
        Instant now = clock.instant();
        String token = l.transport() == Session.Transport.REST ? newToken() : null;
        int speed = l.linkSpeed() < 0 ? u.linkSpeed() : l.linkSpeed();
        Session s = new Session(u.nick(), l.transport(), l.ip(), token, now, link, u.level(), l.dataPort(), speed,
                blankToDefault(l.clientInfo(), "unknown"), u.email());
        users.save(u.withLogin(now, speed)); // before the session is visible: a store that fails leaves no orphan online
        Session old = sessions.put(key(u.nick()), s);
        if (token != null) {
            byToken.put(token, s);
        }
        if (old != null) {
            end(old, false); // saves the old session's transfer totals onto the record just written
            old.link().ended("you logged in from elsewhere");
        }
        logins.incrementAndGet();
        for (Session w : watchersOf(u.nick())) {
            w.link().userSignon(u.nick(), speed);
        }
        return s;
    }

    private String newToken() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return HEX.formatHex(b);
    }

    /** The session of the REST bearer {@code token}, touched (its TTL restarts); SESSION_ENDED if none. */
    public Session session(String token) {
        Session s = token == null ? null : byToken.get(token);
        if (s == null || s.closed()) {
            throw new NapsterException(Reason.SESSION_ENDED, "no such session (it ended, expired, or never was)");
        }
        s.touch(clock.millis());
        return s;
    }

    /** The online session of {@code nick}, if any. */
    public Optional<Session> online(String nick) {
        return nick == null ? Optional.empty() : Optional.ofNullable(sessions.get(key(nick)));
    }

    public Collection<Session> sessions() {
        return sessions.values();
    }

    /** Ends {@code s} (disconnect, logout, expiry): its shares leave the index now; its watchers hear 210. */
    public void logout(Session s) {
        end(s, true);
    }

    private void end(Session s, boolean removeFromMap) {
        if (!s.close()) {
            return;
        }
        if (removeFromMap) {
            sessions.remove(key(s.nick()), s);
        }
        if (s.token() != null) {
            byToken.remove(s.token());
        }
        int[] ids;
        synchronized (s) {
            ids = s.sharesLocked().values().stream().mapToInt(Session.Share::id).toArray();
            s.sharesLocked().clear();
        }
        index.removeAll(ids);
        for (String n : s.hotlist) {
            unwatch(n, s);
        }
        List<Pending> mine = new ArrayList<>();
        for (Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Pending p = it.next().getValue();
            if (p.sharer() == s || p.downloader() == s) {
                it.remove();
                mine.add(p);
            }
        }
        for (Pending p : mine) {
            p.result().completeExceptionally(new NapsterException(Reason.OFFLINE, p.sharer().nick() + " is not online"));
        }
        users.find(s.nick()).ifPresent(u -> users.save(u.withLastSeen(clock.instant())
                .withTransfers(s.downloadsStarted.get(), s.uploadsStarted.get())));
        if (sessions.get(key(s.nick())) == null) {
            for (Session w : watchersOf(s.nick())) {
                w.link().userSignoff(s.nick());
            }
        }
    }

    private List<Session> watchersOf(String nick) {
        Set<Session> w = watchers.get(key(nick));
        return w == null ? List.of() : List.copyOf(w);
    }

    /** Ends the REST sessions idle for longer than their TTL and times out unanswered download requests. */
    public void sweep() {
        long now = clock.millis();
        long ttl = params.restSessionTtl().toMillis();
        for (Session s : List.copyOf(byToken.values())) {
            if (now - s.lastActive() > ttl) {
                logout(s);
            }
        }
        for (Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Pending p = it.next().getValue();
            if (now > p.deadline()) {
                it.remove();
                p.result().completeExceptionally(new NapsterException(Reason.TIMEOUT,
                        p.sharer().nick() + " did not accept the upload of " + p.file().path()));
            }
        }
    }

    // ---- settings (700-703) ----

    public void changeLinkSpeed(Session s, int speed) {
        if (!LinkSpeed.valid(speed)) {
            throw new NapsterException(Reason.INVALID, speed + ": invalid speed (0..10)");
        }
        s.linkSpeed(speed);
        users.find(s.nick()).ifPresent(u -> users.save(u.withLinkSpeed(speed)));
    }

    public void changePassword(Session s, String password) {
        checkUser(s.nick(), password, 0);
        String hash = hasher.hash(password);
        users.find(s.nick()).ifPresent(u -> users.save(u.withPasswordHash(hash)));
    }

    public void changeEmail(Session s, String email) {
        if (email == null || email.isBlank() || email.length() > 254 || email.indexOf(' ') >= 0) {
            throw new NapsterException(Reason.INVALID, "an email address is 1..254 characters without spaces");
        }
        s.email(email);
        users.find(s.nick()).ifPresent(u -> users.save(u.withEmail(email)));
    }

    public void changeDataPort(Session s, int port) {
        if (port < 0 || port > 65535) {
            throw new NapsterException(Reason.INVALID, "the data port is 0..65535, got " + port);
        }
        s.dataPort(port);
    }

    // ---- shares (100, 870, 102, 110) ----

    /** Adds (or, for a path already shared, replaces) {@code files} to {@code s}'s shares. */
    public void share(Session s, List<SharedFile> files) {
        synchronized (s) {
            if (s.closed()) {
                throw new NapsterException(Reason.SESSION_ENDED, "the session has ended");
            }
            Map<String, Session.Share> mine = s.sharesLocked();
            long added = files.stream().filter(f -> !mine.containsKey(f.path())).map(SharedFile::path).distinct().count();
            if (mine.size() + added > params.maxSharesPerUser()) {
                throw new NapsterException(Reason.TOO_MANY_SHARES, "at most " + params.maxSharesPerUser() + " shared files per user");
            }
            List<Integer> replaced = new ArrayList<>();
            for (SharedFile f : files) {
                Session.Share old = mine.remove(f.path());
                if (old != null) {
                    replaced.add(old.id());
                }
            }
            index.removeAll(replaced.stream().mapToInt(Integer::intValue).toArray());
            Map<String, SharedFile> byPath = new java.util.LinkedHashMap<>();
            files.forEach(f -> byPath.put(f.path(), f)); // a path given twice: the last one counts
            List<SharedFile> unique = new ArrayList<>(byPath.values());
            int[] ids = index.addAll(s, unique);
            for (int i = 0; i < ids.length; i++) {
                mine.put(unique.get(i).path(), new Session.Share(ids[i], unique.get(i)));
            }
        }
    }

    /** Replaces {@code s}'s whole share list (REST {@code PUT /users/{nick}/shares}). */
    public void replaceShares(Session s, List<SharedFile> files) {
        synchronized (s) {
            if (files.stream().map(SharedFile::path).distinct().count() > params.maxSharesPerUser()) {
                // checked before anything is removed: a refused list leaves the old one in place
                throw new NapsterException(Reason.TOO_MANY_SHARES, "at most " + params.maxSharesPerUser() + " shared files per user");
            }
            unshareAll(s);
            share(s, files);
        }
    }

    /** 102: true if {@code path} was shared. */
    public boolean unshare(Session s, String path) {
        synchronized (s) {
            Session.Share old = s.sharesLocked().remove(path);
            if (old == null) {
                return false;
            }
            index.remove(old.id());
            return true;
        }
    }

    /** 110. */
    public void unshareAll(Session s) {
        synchronized (s) {
            int[] ids = s.sharesLocked().values().stream().mapToInt(Session.Share::id).toArray();
            s.sharesLocked().clear();
            index.removeAll(ids);
        }
    }

    // ---- search, browse, whois ----

    /**
     * 200: the files of every online user with all the words, passing the filters, at most
     * {@code min(request.max, params.maxResults)} (0: the cap). The searcher's own files are left
     * out, and so are a firewalled user's files when the searcher is firewalled too (neither can
     * connect to the other). {@code searcher} null: an anonymous REST search.
     */
    public List<Hit> search(Session searcher, SearchRequest r) {
        Set<String> words = r.words();
        if (words.isEmpty()) {
            throw new NapsterException(Reason.NO_WORDS, "search failed: request contained no valid words");
        }
        searches.incrementAndGet();
        long t0 = System.nanoTime();
        int max = r.maxResults() == 0 ? params.maxResults() : Math.min(r.maxResults(), params.maxResults());
        boolean searcherFirewalled = searcher != null && searcher.dataPort() == 0;
        Set<String> excluded = r.excluded();
        List<ShareIndex.Entry<Session>> entries = index.search(words, max, e -> {
            Session owner = e.owner();
            return owner != searcher && !(searcherFirewalled && owner.dataPort() == 0) && r.accepts(e.file(), owner.linkSpeed())
                    && (excluded.isEmpty() || java.util.Collections.disjoint(Words.ofPath(e.file().path()), excluded));
        });
        List<Hit> hits = new ArrayList<>(entries.size());
        for (ShareIndex.Entry<Session> e : entries) {
            Session o = e.owner();
            hits.add(new Hit(e.file(), o.nick(), o.ip(), o.linkSpeed(), o.dataPort()));
        }
        observer.searched(Duration.ofNanos(System.nanoTime() - t0), hits.size());
        return hits;
    }

    /** 211: {@code nick}'s shares; OFFLINE if not logged in. */
    public List<SharedFile> browse(String nick) {
        return requireOnline(nick).shared();
    }

    /** 603: whois if online, whowas if registered; NO_SUCH_USER otherwise. */
    public Whois whois(String nick) {
        Optional<Session> on = online(nick);
        Optional<UserRecord> u = validNick(nick) ? users.find(nick) : Optional.empty();
        if (on.isPresent()) {
            Session s = on.get();
            long totalDown = u.map(UserRecord::totalDownloads).orElse(0L) + s.downloadsStarted.get();
            long totalUp = u.map(UserRecord::totalUploads).orElse(0L) + s.uploadsStarted.get();
            return new Whois(s.nick(), s.level(), true, Duration.between(s.since(), clock.instant()).toSeconds(), s.sharedCount(),
                    s.downloading(), s.uploading(), s.linkSpeed(), s.clientInfo(), totalDown, totalUp, s.ip(), s.dataPort(), s.email(),
                    null);
        }
        UserRecord r = u.orElseThrow(() -> new NapsterException(Reason.NO_SUCH_USER, "user " + nick + " is not a known user"));
        return new Whois(r.nick(), r.level(), false, 0, 0, 0, 0, r.linkSpeed(), null, r.totalDownloads(), r.totalUploads(), null, 0,
                r.email(), r.lastSeen());
    }

    /** 600: the link speed of an online user. */
    public int linkSpeedOf(String nick) {
        return requireOnline(nick).linkSpeed();
    }

    private Session requireOnline(String nick) {
        return online(nick).orElseThrow(() -> new NapsterException(Reason.OFFLINE, "User " + nick + " is not currently online."));
    }

    public Stats stats() {
        return new Stats(sessions.size(), index.files(), index.bytes(), users.count(), logins.get(), searches.get(), brokered.get(),
                pushes.get());
    }

    /** Distinct words in the index (for the metrics). */
    public int indexedWords() {
        return index.words();
    }

    /** Restores the cumulative counters saved by an earlier run (logins, searches, downloads, pushes). */
    public void restoreCounters(long l, long s, long d, long p) {
        logins.set(l);
        searches.set(s);
        brokered.set(d);
        pushes.set(p);
    }

    // ---- hotlist (207, 208, 303) ----

    /** Watches {@code nick}; true if it is online now (the caller then tells 209). INVALID for a bad nick. */
    public boolean hotlistAdd(Session s, String nick) {
        if (!validNick(nick)) {
            throw new NapsterException(Reason.INVALID_NICK, "Invalid nick: " + Fields.abbreviate(nick == null ? "" : nick));
        }
        String k = key(nick);
        s.hotlist.add(k);
        watchers.compute(k, (x, w) -> {
            Set<Session> set = w == null ? ConcurrentHashMap.newKeySet() : w;
            set.add(s);
            return set;
        });
        if (s.closed()) { // raced with logout: undo
            unwatch(k, s);
        }
        return sessions.containsKey(k);
    }

    public void hotlistRemove(Session s, String nick) {
        if (nick == null) {
            return;
        }
        String k = key(nick);
        s.hotlist.remove(k);
        unwatch(k, s);
    }

    /** {@code s} no longer watches the nick {@code k}; a nick nobody watches leaves the map. */
    private void unwatch(String k, Session s) {
        watchers.computeIfPresent(k, (x, w) -> {
            w.remove(s);
            return w.isEmpty() ? null : w;
        });
    }

    /** The nicks {@code s} watches, each with whether it is online. */
    public Map<String, Boolean> hotlist(Session s) {
        Map<String, Boolean> out = new java.util.TreeMap<>();
        for (String k : s.hotlist) {
            Session on = sessions.get(k);
            out.put(on == null ? users.find(k).map(UserRecord::nick).orElse(k) : on.nick(), on != null);
        }
        return out;
    }

    // ---- ping (751, 752) ----

    /** 751: asks {@code nick} to answer {@code s}. */
    public void ping(Session s, String nick) {
        Session target = online(nick).orElseThrow(
                () -> new NapsterException(Reason.OFFLINE, "ping failed, " + nick + " is not online"));
        target.link().pinged(s.nick());
    }

    /** 752: {@code s} answers {@code nick}'s ping. */
    public void pong(Session s, String nick) {
        online(nick).ifPresent(t -> t.link().ponged(s.nick()));
    }

    // ---- downloads (203, 607, 608, 204, 500, 501, 619, 620, 218-221) ----

    /**
     * 203: asks {@code nick} to accept an upload of {@code path} to {@code d} (607). The result
     * completes with the ticket (204) when the sharer accepts (608); at once with port 0 when
     * the sharer is firewalled (the downloader then asks for a push, 500); exceptionally with
     * QUEUE_FULL (619), TIMEOUT, OFFLINE. Throws OFFLINE, NOT_SHARED, or FIREWALLED when both
     * ends are firewalled.
     */
    public CompletableFuture<DownloadTicket> requestDownload(Session d, String nick, String path) {
        Session u = requireOnline(nick);
        SharedFile f = requireShared(u, path);
        if (u.dataPort() == 0) {
            if (d.dataPort() == 0) {
                throw bothFirewalled(u);
            }
            brokered.incrementAndGet();
            observer.brokered(Duration.ZERO, true);
            return CompletableFuture.completedFuture(ticket(u, f, false));
        }
        return ask(d, u, f, false);
    }

    /**
     * 500: asks the firewalled {@code nick} to accept (607) and then push {@code path} to
     * {@code d}'s data port (501). Completes with the ticket (push = true) once the 501 is sent.
     */
    public CompletableFuture<DownloadTicket> requestPush(Session d, String nick, String path) {
        Session u = requireOnline(nick);
        SharedFile f = requireShared(u, path);
        if (u.dataPort() != 0) {
            throw new NapsterException(Reason.NOT_FIREWALLED, nick + " is not firewalled: download directly (203)");
        }
        if (d.dataPort() == 0) {
            throw bothFirewalled(u);
        }
        return ask(d, u, f, true);
    }

    private static NapsterException bothFirewalled(Session u) {
        return new NapsterException(Reason.FIREWALLED,
                "Both you and " + u.nick() + " are firewalled; you cannot download from them");
    }

    private static SharedFile requireShared(Session u, String path) {
        SharedFile f = u.shared(path);
        if (f == null) {
            throw new NapsterException(Reason.NOT_SHARED, u.nick() + " is not sharing " + Fields.abbreviate(path));
        }
        return f;
    }

    private CompletableFuture<DownloadTicket> ask(Session d, Session u, SharedFile f, boolean push) {
        Pending p = new Pending(d, u, f, push, new CompletableFuture<>(), clock.millis() + params.acceptTimeout().toMillis());
        Pending previous = pending.putIfAbsent(pendingKey(d.nick(), u.nick(), f.path()), p);
        if (previous != null && previous.push() == push) {
            return previous.result(); // asked again while the sharer has not answered: one answer for both
        }
        if (previous != null) {
            pending.put(pendingKey(d.nick(), u.nick(), f.path()), p); // a push asked after a direct request: the push wins
            previous.result().completeExceptionally(new NapsterException(Reason.FIREWALLED, "the sharer is firewalled: asked to push"));
        }
        long t0 = System.nanoTime();
        p.result().whenComplete((t, e) -> observer.brokered(Duration.ofNanos(System.nanoTime() - t0), e == null));
        u.link().uploadRequest(d.nick(), f.path(), d.linkSpeed());
        return p.result();
    }

    private static String pendingKey(String downloader, String sharer, String path) {
        return key(downloader) + '\n' + key(sharer) + '\n' + path;
    }

    private static DownloadTicket ticket(Session u, SharedFile f, boolean push) {
        return new DownloadTicket(u.nick(), u.ip(), u.dataPort(), f.path(), f.md5(), u.linkSpeed(), f.size(), push);
    }

    /**
     * 608: {@code u} accepts the upload of {@code path} to {@code nick}. The downloader gets 204
     * (its request completes); for a push, {@code u} gets 501. A 608 nobody asked for still
     * reaches an online downloader (Napster servers kept no state between 607 and 608).
     */
    public void acceptUpload(Session u, String nick, String path) {
        SharedFile f = u.shared(path);
        if (f == null) {
            throw new NapsterException(Reason.NOT_SHARED, "Not sharing that file");
        }
        Pending p = pending.remove(pendingKey(nick, u.nick(), path));
        if (p == null) {
            Session d = requireOnline(nick);
            brokered.incrementAndGet();
            if (u.dataPort() == 0 && d.dataPort() != 0) { // a firewalled sharer can only push: as after a 500
                pushes.incrementAndGet();
                u.link().pushRequest(d.nick(), d.ip(), d.dataPort(), f.path(), f.md5(), d.linkSpeed());
            }
            else {
                d.link().downloadAck(ticket(u, f, false));
            }
            return;
        }
        brokered.incrementAndGet();
        if (p.push()) {
            pushes.incrementAndGet();
            Session d = p.downloader();
            u.link().pushRequest(d.nick(), d.ip(), d.dataPort(), f.path(), f.md5(), d.linkSpeed());
        }
        p.result().complete(ticket(u, f, p.push()));
    }

    /** 619: {@code u} refuses {@code nick}'s request: its {@code limit} upload slots are full (620 to the downloader). */
    public void queueLimit(Session u, String nick, String path, int limit) {
        Pending p = pending.remove(pendingKey(nick, u.nick(), path));
        SharedFile f = u.shared(path);
        long size = f == null ? 0 : f.size();
        if (p != null) {
            p.result().completeExceptionally(new QueueFullException(u.nick(), path, size, limit));
        }
        else {
            online(nick).ifPresent(d -> d.link().queueLimit(u.nick(), path, size, limit));
        }
    }

    /** 218/219/220/221: a transfer of {@code s} started or ended. */
    public void transfer(Session s, boolean download, boolean started) {
        java.util.concurrent.atomic.AtomicInteger now = download ? s.downloading : s.uploading;
        if (started) {
            now.incrementAndGet();
            (download ? s.downloadsStarted : s.uploadsStarted).incrementAndGet();
        }
        else {
            now.updateAndGet(v -> Math.max(0, v - 1));
        }
    }

    /** 619's refusal, carried to the downloader as 620. */
    public static final class QueueFullException extends NapsterException {

        private final String uploader;
        private final String path;
        private final long size;
        private final int limit;

        public QueueFullException(String uploader, String path, long size, int limit) {
            super(Reason.QUEUE_FULL, uploader + "'s upload slots are full (" + limit + "): try again later");
            this.uploader = uploader;
            this.path = path;
            this.size = size;
            this.limit = limit;
        }

        public String uploader() {
            return uploader;
        }

        public String path() {
            return path;
        }

        public long size() {
            return size;
        }

        public int limit() {
            return limit;
        }
    }
}
