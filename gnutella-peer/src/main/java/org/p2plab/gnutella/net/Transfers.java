package org.p2plab.gnutella.net;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.p2plab.gnutella.protocol.Guid;
import org.p2plab.gnutella.protocol.Headers;
import org.p2plab.gnutella.protocol.HttpWire;
import org.p2plab.gnutella.protocol.MalformedMessageException;
import org.p2plab.gnutella.protocol.Messages;

/**
 * File transfer over HTTP on the Gnutella port, both ways.
 * <ul>
 * <li><b>Uploads</b>: {@code GET}/{@code HEAD} {@code /get/<index>/<name>} (name URL-encoded or
 * not) and {@code /uri-res/N2R?urn:sha1:...}; {@code Range} gives 206 (or 416 outside the file);
 * when every upload slot is taken, 503 with {@code Retry-After} (and QueryHits say busy); with
 * the freeloader rule on, a downloader whose Pongs say it shares nothing gets 403.</li>
 * <li><b>Pushes</b>: a Push for this servent makes it connect to the requester, send
 * {@code GIV <index>:<guid>/<name>} and serve the GET that follows on that connection.</li>
 * <li><b>Downloads</b>: a GET to the servent that has the file (resuming with {@code Range} after
 * a broken transfer, waiting out a 503's {@code Retry-After}), or, when it is firewalled, a Push
 * and the GET on the connection its GIV opens; the SHA-1 is checked when the hit gave one.</li>
 * </ul>
 */
public final class Transfers implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Transfers.class);

    /**
     * @param uploadSlots       uploads served at once
     * @param retryAfter        the Retry-After of a 503 when the slots are full
     * @param refuseFreeloaders refuse downloaders known (from their Pongs) to share no files
     * @param downloadDir       where downloads go
     * @param downloadAttempts  tries per download (a broken transfer resumes; a busy servent is waited for)
     * @param maxRetryWait      the longest Retry-After honoured (longer ones are cut to this)
     * @param pushTimeout       how long a download waits for the GIV after sending a Push
     * @param keepDownloads     downloads remembered for {@code GET /downloads}
     * @param maxDownloadSize   the largest file a download accepts
     */
    public record Config(int uploadSlots, Duration retryAfter, boolean refuseFreeloaders, Path downloadDir, int downloadAttempts,
                         Duration maxRetryWait, Duration pushTimeout, int keepDownloads, long maxDownloadSize) {
    }

    /** What the service measures. */
    public interface Listener {
        default void uploaded(long bytes) {
        }

        default void downloadEnded(Download d) {
        }

        default void searchEnded(Searches.Search s) {
        }
    }

    /** The counters of {@code GET /stats}. */
    public record Stats(long uploadsServed, long uploadsBusy, long uploadsRefusedFreeloader, long uploadsNotFound, long uploadsBadRequest,
                        long bytesUploaded, long pushesAnswered, long givsUnmatched, int activeUploads) {
    }

    /** A download's states. */
    public enum State { QUEUED, CONNECTING, PUSHING, DOWNLOADING, WAITING_BUSY, COMPLETE, FAILED }

    /** One download (see {@link #download}). */
    public final class Download {
        private final String id;
        private final String peer;
        private final long index;
        private final String name;
        private final String sha1;
        private final Guid servent;
        private final boolean push;
        private final long started = System.currentTimeMillis();
        private final Path part;
        private volatile State state = State.QUEUED;
        private volatile long size = -1;
        private volatile long bytes;
        private volatile int attempts;
        private volatile String error;
        private volatile Path file;
        private volatile boolean viaPush;
        private volatile long ended;
        private volatile long progressAt = System.nanoTime();
        private volatile Socket socket;

        Download(String id, String peer, long index, String name, String sha1, Guid servent, boolean push) {
            this.id = id;
            this.peer = peer;
            this.index = index;
            this.name = name;
            this.sha1 = sha1;
            this.servent = servent;
            this.push = push;
            try {
                this.part = Files.createTempFile(config.downloadDir(), ".download-", ".part"); // never another run's leftover
            }
            catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot create a file in " + config.downloadDir(), e);
            }
        }

        public String id() {
            return id;
        }

        public String peer() {
            return peer;
        }

        public long index() {
            return index;
        }

        public String name() {
            return name;
        }

        public String sha1() {
            return sha1;
        }

        public State state() {
            return state;
        }

        public long size() {
            return size;
        }

        public long bytes() {
            return bytes;
        }

        public int attempts() {
            return attempts;
        }

        public String error() {
            return error;
        }

        public Path file() {
            return file;
        }

        public boolean viaPush() {
            return viaPush;
        }

        public long started() {
            return started;
        }

        public long ended() {
            return ended;
        }

        public boolean done() {
            return state == State.COMPLETE || state == State.FAILED;
        }
    }

    /** A transfer whose writes are watched for stalls. */
    private static final class Watched {
        final Socket socket;
        volatile long progressAt = System.nanoTime();
        volatile boolean writing;

        Watched(Socket socket) {
            this.socket = socket;
        }
    }

    private final Config config;
    private final Servent servent;
    private final Listener listener;
    private final Semaphore slots;
    private final Map<String, Download> downloads = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<GivSocket>> givWaiters = new ConcurrentHashMap<>();
    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("gnutella-transfers").factory());
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong busy = new AtomicLong();
    private final AtomicLong freeloaders = new AtomicLong();
    private final AtomicLong notFound = new AtomicLong();
    private final AtomicLong badRequests = new AtomicLong();
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong pushes = new AtomicLong();
    private final AtomicLong unmatched = new AtomicLong();
    private volatile boolean closed;

    Transfers(Config config, Servent servent, Listener listener) {
        this.config = config;
        this.servent = servent;
        this.listener = listener;
        this.slots = new Semaphore(config.uploadSlots());
        try {
            Files.createDirectories(config.downloadDir());
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the download directory " + config.downloadDir(), e);
        }
    }

    public Stats stats() {
        return new Stats(served.get(), busy.get(), freeloaders.get(), notFound.get(), badRequests.get(), bytesUp.get(), pushes.get(),
                unmatched.get(), config.uploadSlots() - slots.availablePermits());
    }

    boolean uploadSlotsFull() {
        return slots.availablePermits() == 0;
    }

    void searchEnded(Searches.Search s) {
        listener.searchEnded(s);
    }

    // ---- uploads ----

    /**
     * Serves one HTTP request from {@code in} (a GET or HEAD on the port, or the GET that follows
     * our GIV). Answers and returns; the caller closes the socket.
     *
     * @param expected for a push: the file the GIV offered (only it is served), else null
     */
    void serve(Socket s, InputStream in, SharedFiles.Entry expected, Runnable requestRead) throws IOException {
        OutputStream out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
        HttpWire.Request r;
        try {
            r = HttpWire.readRequest(in);
        }
        catch (MalformedMessageException e) {
            badRequests.incrementAndGet();
            status(out, 400, "Bad Request", new Headers());
            return;
        }
        requestRead.run();
        boolean head = r.method().equals("HEAD");
        if (!head && !r.method().equals("GET")) {
            badRequests.incrementAndGet();
            status(out, 501, "Not Implemented", new Headers().add("Allow", "GET, HEAD"));
            return;
        }
        HttpWire.Target t = HttpWire.target(r.target());
        SharedFiles.Entry e = t == null ? null : t.sha1() != null ? servent.shares().bySha1(t.sha1()) : servent.shares().get(t.index());
        if (e != null && t.sha1() == null && !e.file().name().equals(t.name())) {
            e = null; // the index is not this name's (any more): the draft's 404
        }
        if (e == null || (expected != null && e.file().index() != expected.file().index())) {
            notFound.incrementAndGet();
            status(out, 404, "Not Found", new Headers());
            return;
        }
        if (config.refuseFreeloaders() && freeloader(r.headers(), s)) {
            freeloaders.incrementAndGet();
            status(out, 403, "Forbidden: Please Share Files", new Headers());
            return;
        }
        if (!slots.tryAcquire()) {
            busy.incrementAndGet();
            status(out, 503, "Busy", new Headers().add("Retry-After", Long.toString(config.retryAfter().toSeconds())));
            return;
        }
        try {
            long size = Files.size(e.path());
            HttpWire.Range range;
            try {
                range = HttpWire.range(r.headers().get("Range"), size);
            }
            catch (HttpWire.Unsatisfiable u) {
                status(out, 416, "Requested Range Not Satisfiable", new Headers().add("Content-Range", "bytes */" + size));
                return;
            }
            Headers h = new Headers();
            h.add("Server", Servent.USER_AGENT);
            h.add("Content-Type", "application/binary");
            h.add("Accept-Ranges", "bytes");
            if (e.file().sha1() != null) {
                h.add("X-Gnutella-Content-URN", e.file().urn());
            }
            long first = range == null ? 0 : range.first();
            long length = range == null ? size : range.length();
            if (range != null) {
                h.add("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size);
            }
            h.add("Content-Length", Long.toString(length));
            h.add("Connection", "close");
            out.write(("HTTP/1.1 " + (range == null ? "200 OK" : "206 Partial Content") + "\r\n" + h.toWire())
                    .getBytes(StandardCharsets.ISO_8859_1));
            if (!head) {
                Watched w = new Watched(s);
                watched.add(w);
                try (FileChannel ch = FileChannel.open(e.path(), StandardOpenOption.READ)) {
                    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(64 * 1024);
                    long pos = first;
                    long left = length;
                    while (left > 0) {
                        buf.clear().limit((int) Math.min(buf.capacity(), left));
                        int n = ch.read(buf, pos);
                        if (n <= 0) {
                            break; // the file shrank under us: the client sees a short body
                        }
                        w.writing = true;
                        w.progressAt = System.nanoTime();
                        out.write(buf.array(), 0, n);
                        w.writing = false;
                        pos += n;
                        left -= n;
                        bytesUp.addAndGet(n);
                    }
                }
                finally {
                    watched.remove(w);
                }
                listener.uploaded(length);
            }
            out.flush();
            served.incrementAndGet();
        }
        finally {
            slots.release();
        }
    }

    /** A downloader whose {@code X-Node} (where it listens) has said, in a Pong, that it shares nothing. */
    private boolean freeloader(Headers h, Socket s) {
        String node = h.get("X-Node");
        if (node == null) {
            node = h.get("X-Listen-IP");
        }
        if (node == null) {
            return false; // unknown: served (documented)
        }
        HostCache.Host host = servent.hostCache().get(node.strip());
        return host != null && host.files() == 0;
    }

    private static void status(OutputStream out, int code, String reason, Headers h) throws IOException {
        h.add("Server", Servent.USER_AGENT);
        h.add("Content-Length", "0");
        h.add("Connection", "close");
        out.write(("HTTP/1.1 " + code + " " + reason + "\r\n" + h.toWire()).getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    void closeStalled(long now, long limit) {
        for (Watched w : watched) {
            if (w.writing && now - w.progressAt > limit) {
                Servent.closeQuietly(w.socket);
            }
        }
        synchronized (downloads) {
            for (Download d : downloads.values()) {
                Socket s = d.socket;
                if (s != null && d.state == State.DOWNLOADING && now - d.progressAt > limit) {
                    Servent.closeQuietly(s); // it stopped sending: the attempt fails and resumes
                }
            }
        }
    }

    // ---- pushes ----

    /** A Push for this servent: connect to the requester and offer the file with GIV (on a thread of its own). */
    void pushed(Messages.Push push) {
        if (closed) {
            return;
        }
        String key = push.ip() + ":" + push.port() + "/" + push.index();
        long now = System.nanoTime();
        synchronized (recentPushes) {
            Long last = recentPushes.get(key);
            if (last != null && now - last < PUSH_REPEAT_NANOS) {
                return; // the same push again (it came by several paths, or it is repeated): one connection is enough
            }
            recentPushes.put(key, now);
        }
        if (!pushSlots.tryAcquire()) {
            return; // too many pushes at once: a push is a request, not an obligation
        }
        Thread.ofVirtual().name("gnutella-push").start(() -> {
          try {
            SharedFiles.Entry e = servent.shares().get(push.index());
            if (e == null) {
                return; // nothing to give
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(push.ip(), push.port()), (int) servent.config().handshakeTimeout().toMillis());
                s.setSoTimeout((int) servent.config().handshakeTimeout().toMillis());
                OutputStream out = s.getOutputStream();
                out.write(new HttpWire.Giv(push.index(), servent.node().servent(), e.file().name()).wire()
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                pushes.incrementAndGet();
                serve(s, new BufferedInputStream(s.getInputStream(), 4096), e, () -> { });
            }
            catch (IOException | RuntimeException ex) {
                LOG.debug("gnutella: push to {}:{} failed: {}", push.ip(), push.port(), ex.toString());
            }
          }
          finally {
              pushSlots.release();
          }
        });
    }

    private static final long PUSH_REPEAT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Pushes answered at once, at most. */
    private static final int PUSH_SLOTS = 16;
    private final Semaphore pushSlots = new Semaphore(PUSH_SLOTS);
    private final Map<String, Long> recentPushes = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> e) {
            return size() > 1000;
        }
    };

    /** A GIV arrived on the port: hand the socket to the download waiting for it. */
    void giv(Socket s, InputStream in, Runnable givRead) throws IOException {
        HttpWire.Giv g;
        try {
            g = HttpWire.giv(HttpWire.line(in));
            HttpWire.line(in); // the empty line after it
            givRead.run();
        }
        catch (MalformedMessageException e) {
            unmatched.incrementAndGet();
            return;
        }
        CompletableFuture<GivSocket> f = givWaiters.remove(givKey(g.servent(), g.index()));
        if (f == null) {
            unmatched.incrementAndGet();
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        s.setSoTimeout(0);
        if (f.complete(new GivSocket(s, in, done))) {
            done.join(); // the download owns the socket until it ends; then the caller closes it
        }
    }

    private static String givKey(Guid servent, long index) {
        return servent.hex() + "/" + index;
    }

    /** A socket a GIV opened, with the stream already read from, handed to the waiting download; {@code done} when it is finished with. */
    private record GivSocket(Socket socket, InputStream in, CompletableFuture<Void> done) {
    }

    // ---- downloads ----

    /**
     * Starts a download of file {@code index} called {@code name} from {@code peer}
     * ({@code ip:port}); {@code push}: the servent is firewalled, reach it with a Push routed to
     * {@code servent} (also tried when a direct connection fails and the servent is known).
     */
    public Download download(String peer, long index, String name, String sha1, Guid serventGuid, boolean push) {
        Download d = new Download("d" + ids.incrementAndGet(), peer, index, name, sha1, serventGuid, push);
        synchronized (downloads) {
            downloads.put(d.id(), d);
            if (downloads.size() > config.keepDownloads()) {
                downloads.values().stream().filter(Download::done).findFirst().ifPresent(x -> downloads.remove(x.id()));
            }
        }
        Thread.ofVirtual().name("gnutella-download").start(() -> attempt(d));
        return d;
    }

    public Download downloadById(String id) {
        synchronized (downloads) {
            return downloads.get(id);
        }
    }

    public List<Download> downloads() {
        synchronized (downloads) {
            return new ArrayList<>(downloads.values());
        }
    }

    /** One try; a busy answer or a broken transfer schedules the next on the timer. */
    private void attempt(Download d) {
        if (closed) {
            fail(d, "the servent shut down");
            return;
        }
        d.attempts++;
        Socket s = null;
        GivSocket giv = null;
        try {
            InputStream in;
            if (!d.push) {
                d.state = State.CONNECTING;
                s = directOrNull(d);
            }
            if (s == null) {
                if (d.servent == null) {
                    fail(d, "cannot connect to " + d.peer + " and no servent GUID to push to");
                    return;
                }
                d.state = State.PUSHING;
                giv = awaitGiv(d);
                if (giv == null) {
                    return; // failed or scheduled
                }
                s = giv.socket();
                in = giv.in();
                d.viaPush = true;
            }
            else {
                in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
            }
            d.socket = s;
            transfer(d, s, in);
        }
        catch (IOException | RuntimeException e) {
            retryOrFail(d, e.getClass().getSimpleName() + ": " + e.getMessage(), Duration.ofSeconds(1));
        }
        finally {
            d.socket = null;
            if (s != null) {
                Servent.closeQuietly(s);
            }
            if (giv != null) {
                giv.done().complete(null);
            }
        }
    }

    private Socket directOrNull(Download d) {
        HostPort to = HostPort.parse(d.peer);
        if (to == null) {
            return null;
        }
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(to.host(), to.port()), (int) servent.config().handshakeTimeout().toMillis());
            s.setSoTimeout((int) servent.config().writeTimeout().toMillis());
            return s;
        }
        catch (IOException | RuntimeException e) {
            Servent.closeQuietly(s);
            return null;
        }
    }

    /** Sends the Push and waits for the GIV; null when it failed (the download is failed or rescheduled). */
    private GivSocket awaitGiv(Download d) throws IOException {
        CompletableFuture<GivSocket> f = new CompletableFuture<>();
        String key = givKey(d.servent, d.index);
        givWaiters.put(key, f);
        String me = servent.config().advertisedHost();
        if (!servent.node().push(d.servent, d.index, me, servent.port())) {
            givWaiters.remove(key, f);
            fail(d, "no route to servent " + d.servent.hex() + " for a push (its hits came over a connection that is gone)");
            return null;
        }
        GivSocket g;
        try {
            g = f.get(config.pushTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException e) {
            givWaiters.remove(key, f);
            if (f.completeExceptionally(e)) {
                retryOrFail(d, "no GIV within " + config.pushTimeout().toSeconds() + " s of the push", Duration.ofSeconds(1));
                return null;
            }
            g = f.join(); // the GIV came in the same instant: take it
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(d, "interrupted");
            return null;
        }
        catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
            fail(d, "the push was given up: " + e);
            return null;
        }
        try {
            g.socket().setSoTimeout((int) servent.config().writeTimeout().toMillis());
            return g;
        }
        catch (IOException e) {
            Servent.closeQuietly(g.socket());
            g.done().complete(null);
            throw e;
        }
    }

    private void transfer(Download d, Socket s, InputStream in) throws IOException {
        long have = Files.exists(d.part) ? Files.size(d.part) : 0;
        Headers h = new Headers();
        h.add("Host", d.peer);
        h.add("User-Agent", Servent.USER_AGENT);
        h.add("X-Node", servent.listenAddress());
        if (have > 0) {
            h.add("Range", "bytes=" + have + "-");
        }
        h.add("Connection", "close");
        String target = "/get/" + d.index + "/" + HttpWire.encodeName(d.name);
        OutputStream out = s.getOutputStream();
        out.write(("GET " + target + " HTTP/1.1\r\n" + h.toWire()).getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        HttpWire.Response r = HttpWire.readResponse(in);
        long length;
        try {
            length = Long.parseLong(String.valueOf(r.headers().get("Content-Length")).strip());
        }
        catch (NumberFormatException e) {
            length = -1;
        }
        switch (r.code()) {
            case 200 -> {
                have = 0; // the whole file, whatever we asked for
                if (length < 0 || length > config.maxDownloadSize()) {
                    fail(d, "200 with a Content-Length of " + r.headers().get("Content-Length") + " (at most "
                            + config.maxDownloadSize() + ")");
                    return;
                }
                d.size = length;
            }
            case 206 -> {
                long[] cr = contentRange(r.headers().get("Content-Range"));
                if (cr == null || cr[0] != have || cr[1] - cr[0] + 1 != length || cr[2] > config.maxDownloadSize()
                        || (d.size > 0 && cr[2] != d.size)) {
                    Files.deleteIfExists(d.part); // not the part we asked for: start over rather than splice
                    Files.createFile(d.part);
                    retryOrFail(d, "206 with Content-Range " + r.headers().get("Content-Range") + " for bytes=" + have + "-",
                            Duration.ofMillis(200));
                    return;
                }
                d.size = cr[2];
            }
            case 503 -> {
                d.state = State.WAITING_BUSY;
                retryOrFail(d, "busy (503)", retryAfter(r.headers().get("Retry-After")));
                return;
            }
            case 416 -> {
                if (have > 0 && d.size > 0 && have >= d.size) {
                    finish(d); // we had it all already
                    return;
                }
                Files.deleteIfExists(d.part);
                Files.createFile(d.part);
                retryOrFail(d, "416 for the part we had: starting over", Duration.ofMillis(100));
                return;
            }
            default -> {
                fail(d, r.code() + " " + r.reason());
                return;
            }
        }
        d.state = State.DOWNLOADING;
        d.bytes = have;
        d.progressAt = System.nanoTime();
        try (FileChannel ch = FileChannel.open(d.part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.truncate(have);
            ch.position(have);
            byte[] buf = new byte[64 * 1024];
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                ch.write(java.nio.ByteBuffer.wrap(buf, 0, n));
                left -= n;
                d.bytes += n;
                d.progressAt = System.nanoTime();
            }
        }
        if (d.bytes < d.size) {
            retryOrFail(d, "the transfer broke after " + d.bytes + " of " + d.size + " bytes", Duration.ofMillis(200));
            return;
        }
        finish(d);
    }

    /** {@code bytes first-last/total} as {first, last, total}; null if it is not that (or a {@code *} total). */
    static long[] contentRange(String h) {
        if (h == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes\\s+(\\d{1,18})-(\\d{1,18})/(\\d{1,18})").matcher(h.strip());
        if (!m.matches()) {
            return null;
        }
        long first = Long.parseLong(m.group(1));
        long last = Long.parseLong(m.group(2));
        long total = Long.parseLong(m.group(3));
        return first <= last && last < total ? new long[] {first, last, total} : null;
    }

    private void finish(Download d) throws IOException {
        if (d.sha1 != null && !d.sha1.equalsIgnoreCase(SharedFiles.sha1(d.part))) {
            Files.deleteIfExists(d.part);
            fail(d, "the SHA-1 of what arrived is not urn:sha1:" + d.sha1);
            return;
        }
        String name = SharedFiles.validName(d.name) && !d.name.startsWith(".") ? d.name : d.id;
        Path target;
        synchronized (downloads) { // a free name and the move together: two downloads of one name never overwrite
            target = free(config.downloadDir(), name);
            Files.move(d.part, target);
        }
        d.file = target;
        d.state = State.COMPLETE;
        d.ended = System.currentTimeMillis();
        listener.downloadEnded(d);
    }

    private static Path free(Path dir, String name) {
        Path p = dir.resolve(name);
        for (int i = 1; Files.exists(p); i++) {
            int dot = name.lastIndexOf('.');
            p = dir.resolve(dot > 0 ? name.substring(0, dot) + " (" + i + ")" + name.substring(dot) : name + " (" + i + ")");
        }
        return p;
    }

    private Duration retryAfter(String header) {
        long secs = 1;
        if (header != null) {
            try {
                secs = Math.max(0, Long.parseLong(header.strip()));
            }
            catch (NumberFormatException e) {
                secs = config.maxRetryWait().toSeconds(); // an HTTP date: wait the most we wait
            }
        }
        Duration d = Duration.ofSeconds(secs);
        return d.compareTo(config.maxRetryWait()) > 0 ? config.maxRetryWait() : d;
    }

    private void retryOrFail(Download d, String why, Duration after) {
        if (d.attempts >= config.downloadAttempts() || closed) {
            fail(d, why + " (after " + d.attempts + " attempts)");
            return;
        }
        d.error = why;
        if (d.state != State.WAITING_BUSY) {
            d.state = State.QUEUED;
        }
        try {
            timers.schedule(() -> Thread.ofVirtual().name("gnutella-download").start(() -> attempt(d)), after.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        catch (java.util.concurrent.RejectedExecutionException e) {
            fail(d, why + " (the servent shut down)");
        }
    }

    private void fail(Download d, String why) {
        d.error = why;
        d.state = State.FAILED;
        d.ended = System.currentTimeMillis();
        try {
            Files.deleteIfExists(d.part);
        }
        catch (IOException e) {
            // left behind
        }
        listener.downloadEnded(d);
    }

    @Override
    public void close() {
        closed = true;
        timers.shutdownNow();
        givWaiters.values().forEach(f -> f.cancel(false));
        for (Watched w : watched) {
            Servent.closeQuietly(w.socket);
        }
        synchronized (downloads) {
            for (Download d : downloads.values()) {
                Socket sock = d.socket;
                if (sock != null) {
                    Servent.closeQuietly(sock);
                }
            }
        }
    }
}
