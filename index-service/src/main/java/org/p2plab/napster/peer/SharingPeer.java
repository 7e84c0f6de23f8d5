package org.p2plab.napster.peer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.p2plab.napster.protocol.DataPortWire;
import org.p2plab.napster.protocol.LinkSpeed;
import org.p2plab.napster.protocol.MalformedFrameException;
import org.p2plab.napster.protocol.SearchRequest;
import org.p2plab.napster.protocol.SharedFile;
import org.p2plab.overlay.Timers;

/**
 * A Napster user's client: logs in to the index over its TCP protocol, shares a directory (and
 * keeps the index in step with it), accepts upload requests while it has free slots, serves
 * uploads on its data port (or pushes them, when firewalled), and as a client searches, pings
 * the hosts that have a hit to rank them, and downloads with resume. Reconnects when the index
 * goes away, with growing pauses.
 */
public final class SharingPeer implements NapsterClient.Handler, AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SharingPeer.class);
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final int KNOWN_SIZES = 10_000;
    /** How long an accepted upload (608) waits for the downloader's GET. */
    static final Duration ACCEPTED_FOR = Duration.ofMinutes(2);
    /** An upload that moves no byte for this long is cut: a downloader that stopped reading frees its slot. */
    static final Duration STALL = Duration.ofSeconds(30);

    /**
     * @param host         the index's host
     * @param port         the index's Napster TCP port
     * @param bindAddress  where the data port listens (null: every address)
     * @param dataPort     the data port (0: any free one)
     * @param firewalled   declare data port 0 and push uploads
     * @param searchTimeout how long a search or browse waits for the index's answer (then the
     *                     connection is dropped and made again: late results could not be told apart)
     * @param acceptWait   how long a download waits for the sharer's accept
     */
    public record Config(String host, int port, String nick, String password, int linkSpeed, String bindAddress, int dataPort,
                         boolean firewalled, Path sharedDir, Path downloadDir, Duration rescan, int uploadSlots, Duration pingTimeout,
                         Duration searchTimeout, Duration acceptWait) {
    }

    /** A search hit ranked: the round trip to its host (empty: no pong), the estimated transfer time. */
    public record Ranked(NapsterClient.Result hit, Optional<Duration> rtt, double estimatedSeconds) {
    }

    private final Config config;
    private final Timers timers;
    private final LocalShares shares;
    private final ServerSocket dataPort;
    private final Map<String, Download> downloads = new ConcurrentHashMap<>();
    private final Map<String, Download> awaitingPush = new ConcurrentHashMap<>();
    private final Map<String, Long> knownSizes = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> e) {
            return size() > KNOWN_SIZES;
        }
    });
    private final AtomicInteger uploading = new AtomicInteger();
    /** Uploads this peer accepted (608), by downloader and path, until when a GET for them is honoured. */
    private final Map<String, Long> accepted = new ConcurrentHashMap<>();
    private final AtomicLong uploads = new AtomicLong();
    private final AtomicLong uploadedBytes = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong nextId = new AtomicLong();
    private volatile NapsterClient client;
    private volatile java.util.function.Consumer<Download> onFinished = d -> { };
    private volatile Duration backoff = Duration.ofSeconds(1);
    /** A reconnection is scheduled or running: there is only ever one. */
    private final java.util.concurrent.atomic.AtomicBoolean reconnecting = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile String lastError;
    private volatile boolean closed;

    public SharingPeer(Config config, Timers timers) throws IOException {
        this.config = config;
        this.timers = timers;
        Files.createDirectories(config.sharedDir());
        Files.createDirectories(config.downloadDir());
        this.shares = new LocalShares(config.sharedDir());
        if (config.firewalled()) {
            dataPort = null;
        }
        else {
            dataPort = new ServerSocket();
            InetAddress bind = config.bindAddress() == null || config.bindAddress().isBlank() ? null
                    : InetAddress.getByName(config.bindAddress());
            dataPort.bind(new InetSocketAddress(bind, config.dataPort()), 64);
            org.p2plab.support.net.Acceptor.start("napster-data-" + dataPort.getLocalPort(), dataPort, () -> closed,
                    s -> Thread.ofVirtual().name("napster-data-conn").start(() -> serve(s)));
        }
    }

    /** Scans the shared directory and logs in (retrying in the background if the index is not there). */
    public void start() {
        try {
            shares.rescan();
        }
        catch (IOException e) {
            LOG.warn("napster peer: cannot scan {}: {}", config.sharedDir(), e.toString());
        }
        connect();
        timers.schedule(config.rescan(), this::rescanTick);
    }

    public String nick() {
        return config.nick();
    }

    /** The data port as announced: 0 when firewalled. */
    public int announcedDataPort() {
        return dataPort == null ? 0 : dataPort.getLocalPort();
    }

    public boolean connected() {
        NapsterClient c = client;
        return c != null && c.connected();
    }

    public String lastError() {
        return lastError;
    }

    public LocalShares shares() {
        return shares;
    }

    public int uploading() {
        return uploading.get();
    }

    public long uploads() {
        return uploads.get();
    }

    public long uploadedBytes() {
        return uploadedBytes.get();
    }

    /** Upload requests answered "queue full" (619). */
    public long refused() {
        return refused.get();
    }

    public Config config() {
        return config;
    }

    /** Called with every download once it is done or has failed. */
    public void onFinished(java.util.function.Consumer<Download> listener) {
        onFinished = listener;
    }

    // ---- the connection to the index ----

    private void connect() {
        if (closed) {
            reconnecting.set(false);
            return;
        }
        try {
            NapsterClient c = NapsterClient.login(config.host(), config.port(), config.nick(), config.password(), announcedDataPort(),
                    config.linkSpeed(), IO_TIMEOUT, this);
            client = c;
            reconnecting.set(false);
            if (!c.connected()) { // it ended between the login and here: its disconnected() was ignored as not current
                reconnectLater();
                return;
            }
            synchronized (rescanLock) {
                c.share(shares.all().stream().map(LocalShares.Local::shared).toList());
            }
            backoff = Duration.ofSeconds(1);
            lastError = null;
            LOG.info("napster peer {}: logged in to {}:{}, sharing {} files, data port {}", config.nick(), config.host(), config.port(),
                    shares.all().size(), announcedDataPort());
        }
        catch (IOException e) {
            lastError = e.getMessage();
            LOG.info("napster peer {}: cannot log in to {}:{} ({}); again in {} s", config.nick(), config.host(), config.port(),
                    e.getMessage(), backoff.toSeconds());
            reconnecting.set(false);
            reconnectLater();
        }
    }

    /** Schedules one reconnection after the current pause (doubling it, up to 30 s), unless one is under way. */
    private void reconnectLater() {
        if (closed || !reconnecting.compareAndSet(false, true)) {
            return;
        }
        Duration wait = backoff;
        backoff = wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
        timers.schedule(wait, this::connect);
    }

    @Override
    public void disconnected(NapsterClient c) {
        if (closed || c != client) {
            return; // a refused login's client, or one already replaced: the reconnection is someone else's
        }
        LOG.info("napster peer {}: the connection to the index ended; reconnecting", config.nick());
        reconnectLater();
    }

    private final Object rescanLock = new Object();

    private void rescanTick() {
        if (closed) {
            return;
        }
        try {
            rescanNow();
        }
        catch (IOException | RuntimeException e) {
            LOG.warn("napster peer {}: rescan failed: {}", config.nick(), e.toString());
        }
        timers.schedule(config.rescan(), this::rescanTick);
    }

    /** Rescans the shared directory now and tells the index what changed (one rescan at a time). */
    public void rescanNow() throws IOException {
        synchronized (rescanLock) {
            LocalShares.Changes ch = shares.rescan();
            NapsterClient c = client;
            if (ch.isEmpty() || c == null || !c.connected()) {
                return; // a login shares the whole directory anyway
            }
            for (String removed : ch.removed()) {
                c.unshare(removed);
            }
            for (SharedFile f : ch.changed()) {
                c.unshare(f.path()); // re-announced below with its new size and md5
            }
            List<SharedFile> announce = new ArrayList<>(ch.added());
            announce.addAll(ch.changed());
            c.share(announce);
        }
    }

    private NapsterClient requireClient() throws IOException {
        NapsterClient c = client;
        if (c == null || !c.connected()) {
            throw new IOException("not logged in to the index" + (lastError == null ? "" : ": " + lastError));
        }
        return c;
    }

    // ---- the index asks ----

    @Override
    public void uploadRequested(String nick, String path, int speed) {
        NapsterClient c = client;
        if (c == null) {
            return;
        }
        try {
            if (shares.get(path) == null) {
                return; // not ours (any more): the index's request times out for the downloader
            }
            if (uploading.get() >= config.uploadSlots()) {
                refused.incrementAndGet();
                c.queueLimit(nick, path, config.uploadSlots());
            }
            else {
                long now = System.currentTimeMillis();
                accepted.values().removeIf(until -> until < now);
                accepted.put(key(nick, path), now + ACCEPTED_FOR.toMillis());
                c.acceptUpload(nick, path);
            }
        }
        catch (IOException e) {
            LOG.debug("napster peer: could not answer an upload request: {}", e.toString());
        }
    }

    @Override
    public void pushRequested(String nick, String ip, int port, String path) {
        Thread.ofVirtual().name("napster-push").start(() -> push(nick, ip, port, path));
    }

    /** Firewalled upload: connect to the downloader, SEND, read its offset, send from there. */
    private void push(String nick, String ip, int port, String path) {
        LocalShares.Local l = shares.get(path);
        if (l == null) {
            return;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), (int) IO_TIMEOUT.toMillis());
            s.setSoTimeout((int) IO_TIMEOUT.toMillis());
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            DataPortWire.expectGreeting(in);
            long size = Files.size(l.file());
            DataPortWire.writeRequest(out, true, config.nick(), path, size);
            long offset = DataPortWire.readNumber(in, t -> s.setSoTimeout(t == 0 ? (int) IO_TIMEOUT.toMillis() : t));
            if (offset < 0 || offset > size) {
                LOG.info("napster peer: {} refused the push of {}", nick, path);
                return;
            }
            upload(l.file(), offset, out, s);
        }
        catch (IOException | MalformedFrameException e) {
            LOG.info("napster peer: push of {} to {} failed: {}", path, nick, e.getMessage());
        }
    }

    private void upload(Path file, long offset, OutputStream out, Socket socket) throws IOException {
        uploading.incrementAndGet();
        uploads.incrementAndGet();
        NapsterClient c = client;
        if (c != null) {
            c.transfer(false, true);
        }
        AtomicLong sent = new AtomicLong();
        Runnable[] watchdog = new Runnable[1];
        long[] last = {-1};
        watchdog[0] = () -> { // a blocking write has no timeout: a downloader that stops reading is cut here
            if (socket.isClosed()) {
                return;
            }
            if (sent.get() == last[0]) {
                LOG.info("napster peer: an upload stalled for {} s; closing it", STALL.toSeconds());
                try {
                    socket.close();
                }
                catch (IOException e) {
                    // closing
                }
                return;
            }
            last[0] = sent.get();
            timers.schedule(STALL, watchdog[0]);
        };
        timers.schedule(STALL, watchdog[0]);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            InputStream in = Channels.newInputStream(ch.position(offset));
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                sent.addAndGet(n);
                uploadedBytes.addAndGet(n);
            }
            out.flush();
        }
        finally {
            uploading.decrementAndGet();
            if (c != null) {
                c.transfer(false, false);
            }
        }
    }

    // ---- the data port ----

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout((int) IO_TIMEOUT.toMillis());
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            DataPortWire.greet(out);
            DataPortWire.Request r;
            try {
                r = DataPortWire.readRequest(in, t -> s.setSoTimeout(t == 0 ? (int) IO_TIMEOUT.toMillis() : t), SharedFile.MAX_PATH);
            }
            catch (MalformedFrameException e) {
                DataPortWire.writeError(out, DataPortWire.INVALID_REQUEST);
                return;
            }
            if (r.send()) {
                receivePush(r, in, out);
                return;
            }
            LocalShares.Local l = shares.get(r.path());
            if (l == null) {
                DataPortWire.writeError(out, DataPortWire.FILE_NOT_SHARED);
                return;
            }
            Long until = accepted.remove(key(r.nick(), r.path()));
            if (until == null || until < System.currentTimeMillis()) {
                // a GET the index never brokered (no 607/608 for this downloader and file): refused, as real sharers do
                DataPortWire.writeError(out, DataPortWire.INVALID_REQUEST);
                return;
            }
            long size = Files.size(l.file());
            if (r.number() > size) {
                DataPortWire.writeError(out, DataPortWire.INVALID_REQUEST);
                return;
            }
            DataPortWire.writeNumber(out, size);
            upload(l.file(), r.number(), out, s);
        }
        catch (IOException e) {
            LOG.debug("napster peer: data connection ended: {}", e.toString());
        }
    }

    /** A firewalled uploader connected to push a file this peer asked for (500). */
    private void receivePush(DataPortWire.Request r, InputStream in, OutputStream out) throws IOException {
        Download d = awaitingPush.remove(key(r.nick(), r.path()));
        if (d == null) {
            DataPortWire.writeError(out, DataPortWire.INVALID_REQUEST);
            return;
        }
        d.pushConnected.complete(null);
        try {
            d.size = r.number();
            d.peer = r.nick() + " (push)";
            Path part = partFile(d);
            long offset = Files.exists(part) ? Math.min(Files.size(part), d.size) : 0;
            DataPortWire.writeNumber(out, offset);
            receive(d, part, offset, in);
            d.pushed.complete(null);
        }
        catch (IOException | RuntimeException e) {
            d.pushed.completeExceptionally(e);
            throw e;
        }
    }

    // ---- as a client: search, rank, download ----

    /** Searches the index, pings every host that has a hit, and ranks the hits by estimated transfer time. */
    public List<Ranked> search(SearchRequest r) throws IOException {
        List<NapsterClient.Result> hits = requireClient().search(r, config.searchTimeout());
        for (NapsterClient.Result h : hits) {
            knownSizes.put(key(h.nick(), h.path()), h.size());
        }
        Map<String, CompletableFuture<Optional<Duration>>> rtts = new LinkedHashMap<>();
        for (NapsterClient.Result h : hits) {
            rtts.computeIfAbsent(h.nick().toLowerCase(Locale.ROOT), n -> CompletableFuture.supplyAsync(() -> ping(h.nick()),
                    r2 -> Thread.ofVirtual().start(r2)));
        }
        List<Ranked> ranked = new ArrayList<>();
        for (NapsterClient.Result h : hits) {
            Optional<Duration> rtt = rtts.get(h.nick().toLowerCase(Locale.ROOT)).join();
            ranked.add(new Ranked(h, rtt, estimate(h, rtt)));
        }
        ranked.sort(Comparator.comparingDouble(Ranked::estimatedSeconds));
        return ranked;
    }

    private Optional<Duration> ping(String nick) {
        try {
            return requireClient().ping(nick, config.pingTimeout());
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The "best host" rule: the time to fetch the file, estimated as one round trip plus its
     * size at the sharer's declared link speed; a host that did not answer the ping is ranked
     * last (infinity).
     */
    static double estimate(NapsterClient.Result h, Optional<Duration> rtt) {
        if (rtt.isEmpty()) {
            return Double.POSITIVE_INFINITY;
        }
        int code = LinkSpeed.valid(h.linkSpeed()) ? h.linkSpeed() : 0;
        return rtt.get().toNanos() / 1e9 + h.size() * 8.0 / LinkSpeed.of(code).bitsPerSecond();
    }

    /** Starts downloading {@code path} from {@code nick}; follow it with {@link #download(String)}. */
    public Download startDownload(String nick, String path) throws IOException {
        NapsterClient c = requireClient();
        Long size = knownSizes.get(key(nick, path));
        if (size == null) {
            size = c.browse(nick, config.searchTimeout()).stream().filter(f -> f.path().equals(path)).map(SharedFile::size).findFirst()
                    .orElseThrow(() -> new java.io.FileNotFoundException(nick + " is offline or does not share " + path));
        }
        Download d = new Download(Long.toString(nextId.incrementAndGet()), nick, path, size);
        downloads.put(d.id, d);
        Thread.ofVirtual().name("napster-download-" + d.id).start(() -> run(d));
        return d;
    }

    public Optional<Download> download(String id) {
        return Optional.ofNullable(downloads.get(id));
    }

    public Collection<Download> downloads() {
        return downloads.values();
    }

    private void run(Download d) {
        NapsterClient c = client;
        try {
            c = requireClient();
            NapsterClient.Ack ack = await(c.requestDownload(d.nick, d.path), config.acceptWait().plusSeconds(5));
            if (ack.port() == 0) {
                d.push = true;
                d.state = Download.State.WAITING_FOR_PUSH;
                if (dataPort == null) {
                    throw new IOException("both ends are firewalled");
                }
                awaitingPush.put(key(d.nick, d.path), d);
                CompletableFuture<NapsterClient.Ack> refused = c.requestPush(d.nick, d.path);
                refused.whenComplete((x, e) -> {
                    if (e != null) {
                        d.pushConnected.completeExceptionally(e);
                        d.pushed.completeExceptionally(e);
                    }
                });
                try {
                    // the sharer's connection must come within the accept wait; the transfer then takes what it takes
                    // (its reads time out if it stalls)
                    d.pushConnected.get(config.acceptWait().plus(IO_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
                    d.pushed.get();
                }
                finally {
                    awaitingPush.remove(key(d.nick, d.path), d);
                    c.forget(d.nick, d.path);
                }
            }
            else {
                fetch(d, ack);
            }
            finish(d);
        }
        catch (ExecutionException e) {
            fail(d, e.getCause() == null ? e : e.getCause());
        }
        catch (Exception e) {
            fail(d, e);
        }
    }

    private static <T> T await(CompletableFuture<T> f, Duration timeout) throws Exception {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        catch (TimeoutException e) {
            throw new IOException("no answer from the index in " + timeout.toSeconds() + " s");
        }
    }

    /** Normal download: connect to the sharer's data port, GET from the partial file's length. */
    private void fetch(Download d, NapsterClient.Ack ack) throws IOException {
        d.peer = ack.ip() + ":" + ack.port();
        Path part = partFile(d);
        long offset = Files.exists(part) ? Math.min(Files.size(part), d.size) : 0;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ack.ip(), ack.port()), (int) IO_TIMEOUT.toMillis());
            s.setSoTimeout((int) IO_TIMEOUT.toMillis());
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            DataPortWire.expectGreeting(in);
            DataPortWire.writeRequest(out, false, config.nick(), d.path, offset);
            long size = DataPortWire.readSize(in, d.size);
            d.size = size;
            receive(d, part, offset, in);
        }
    }

    /** Reads the file's bytes from {@code offset} to its size into the partial file. */
    private void receive(Download d, Path part, long offset, InputStream in) throws IOException {
        d.offset = offset;
        d.state = Download.State.TRANSFERRING;
        NapsterClient c = client;
        if (c != null) {
            c.transfer(true, true);
        }
        try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "rw")) {
            f.setLength(offset);
            f.seek(offset);
            byte[] buf = new byte[64 * 1024];
            long left = d.size - offset;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException("the sharer closed the connection after " + (d.size - left) + " of " + d.size + " bytes");
                }
                f.write(buf, 0, n);
                d.bytes.addAndGet(n);
                left -= n;
            }
        }
        finally {
            if (c != null) {
                c.transfer(true, false);
            }
        }
    }

    private Path partFile(Download d) {
        return config.downloadDir().resolve(partName(d.nick, d.path));
    }

    /**
     * The partial file of a download: named after the sharer and the path (hashed), so that two
     * files with the same name from different places never resume into each other.
     */
    public static String partName(String nick, String path) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((nick.toLowerCase(Locale.ROOT) + "\n" + path)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "." + HexFormat.of().formatHex(h, 0, 8) + "." + safeName(path) + ".part";
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file name of a shared path, safe on this disk (no separators). */
    static String safeName(String path) {
        String name = path.substring(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1).strip();
        name = name.replaceAll("[\\\\/:*?\"<>|\\x00-\\x1f]", "_");
        return name.isEmpty() || name.equals(".") || name.equals("..") ? "download" : name;
    }

    private void finish(Download d) throws IOException {
        Path part = partFile(d);
        Path done = freeName(safeName(d.path));
        Files.move(part, done);
        d.file = done;
        d.sha256 = sha256(done);
        d.finished = Instant.now();
        d.state = Download.State.DONE;
        onFinished.accept(d);
        LOG.info("napster peer {}: downloaded {} from {} ({} bytes, resumed at {})", config.nick(), d.path, d.nick, d.size, d.offset);
    }

    /** {@code name} in the download directory, or {@code name (2)}, {@code (3)}... if it is taken: nothing is overwritten. */
    private Path freeName(String name) {
        Path p = config.downloadDir().resolve(name);
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int i = 2; Files.exists(p); i++) {
            p = config.downloadDir().resolve(base + " (" + i + ")" + ext);
        }
        return p;
    }

    private void fail(Download d, Throwable e) {
        d.error = e.getMessage() == null ? e.toString() : e.getMessage();
        d.finished = Instant.now();
        d.state = Download.State.FAILED;
        onFinished.accept(d);
        LOG.info("napster peer {}: download of {} from {} failed: {}", config.nick(), d.path, d.nick, d.error);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key(String nick, String path) {
        return nick.toLowerCase(Locale.ROOT) + '\n' + path;
    }

    @Override
    public void close() {
        closed = true;
        NapsterClient c = client;
        if (c != null) {
            c.close();
        }
        if (dataPort != null) {
            try {
                dataPort.close();
            }
            catch (IOException e) {
                // closing
            }
        }
    }
}
