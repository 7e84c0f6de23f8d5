package org.p2plab.gnutella.net;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

import org.p2plab.gnutella.protocol.GnutellaNode;
import org.p2plab.gnutella.protocol.Guid;
import org.p2plab.gnutella.protocol.Handshake;
import org.p2plab.gnutella.protocol.Headers;
import org.p2plab.gnutella.protocol.MalformedMessageException;
import org.p2plab.gnutella.protocol.Messages;
import org.p2plab.gnutella.protocol.Packet;
import org.p2plab.gnutella.protocol.PacketReader;
import org.p2plab.support.net.Acceptor;
import org.p2plab.support.net.Sockets;

/**
 * A Gnutella 0.6 servent on a TCP port: the routing core ({@link GnutellaNode}) wired to real
 * connections. What arrives on the port is told apart by its first bytes: {@code GNUTELLA
 * CONNECT} is a neighbour's handshake, {@code GET}/{@code HEAD} a download from this servent's
 * files, {@code GIV} a firewalled servent answering a push ({@link Transfers} does the HTTP).
 * <p>
 * Timers, not threads waiting: a TTL=1 ping to every neighbour each {@code keepalive} (a
 * neighbour silent for {@code idleTimeout} is dropped), a pong-cache refresh each
 * {@code pongRefresh}, and a keeper that reconnects the configured peers (with growing pauses)
 * and, when {@code targetConnections} is set, tops up the ultrapeer connections from the host
 * cache.
 */
public final class Servent implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Servent.class);
    static final String USER_AGENT = "p2plab/0.1";
    /** {@link ConnectResult#reason()} when the address is this servent's own. */
    public static final String SELF = "that is this servent";
    private static final String CANNOT_CONNECT_TO_MYSELF = "Cannot Connect To Myself";

    /**
     * The servent's settings.
     *
     * @param bindAddress       where the port listens (null or empty: every address)
     * @param port              the Gnutella port (6346; 0: any free one)
     * @param advertisedHost    the IPv4 address put in Pongs, QueryHits, Listen-IP and pushes
     * @param firewalled        announce that it cannot be connected to (hits say push)
     * @param peers             {@code host:port} neighbours to keep connected to
     * @param maxUltrapeers     an ultrapeer's ultrapeer connections (its X-Degree)
     * @param maxLeaves         an ultrapeer's leaves
     * @param leafUltrapeers    a leaf's ultrapeer connections
     * @param targetConnections ultrapeer connections to keep by picking hosts from the host cache (0: only the configured peers)
     * @param keepalive         how often a TTL=1 ping goes to each neighbour
     * @param pongRefresh       how often a ping refreshes the pong cache (and the host cache)
     * @param idleTimeout       a neighbour silent this long is dropped
     * @param handshakeTimeout  how long a handshake (or a first HTTP line) may take
     * @param writeTimeout      a write stalled this long closes the connection (or transfer)
     * @param queueBytes        bytes queued to one neighbour; more is dropped
     * @param maxPayload        the longest message accepted (longer: Bye 400 and close)
     * @param maxConnections    sockets open at once (neighbours, transfers, handshakes)
     * @param speed             kbit/s announced in QueryHits
     * @param hostCacheSize     hosts remembered
     */
    public record Config(String bindAddress, int port, String advertisedHost, boolean firewalled, List<String> peers,
                         int maxUltrapeers, int maxLeaves, int leafUltrapeers, int targetConnections, Duration keepalive,
                         Duration pongRefresh, Duration idleTimeout, Duration handshakeTimeout, Duration writeTimeout, int queueBytes,
                         int maxPayload, int maxConnections, long speed, int hostCacheSize) {
    }

    /** Counters of the transport (the routing core keeps its own). */
    public record TransportStats(long handshakesIn, long handshakesOut, long refused, long badHandshakes, long byesIn, long byesOut,
                                 long oversized, long dropped, long idleDrops, long stalledDrops, long unknownProtocol, long internalErrors) {
    }

    private final Config config;
    private final GnutellaNode node;
    private final SharedFiles shares;
    private final HostCache hostCache;
    private final Searches searches;
    private final Transfers transfers;
    private final InstantSource clock;
    private final BiConsumer<Integer, Boolean> counter;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Set<String> connecting = ConcurrentHashMap.newKeySet();
    private final Set<String> selfNames = ConcurrentHashMap.newKeySet(); // addresses found to be this servent's
    private final Map<String, Connection> dialed = new ConcurrentHashMap<>(); // the address we connected to (a name, say) -> its connection
    private final Map<String, long[]> retry = new ConcurrentHashMap<>(); // peer -> {next attempt ms, pause ms}
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong handshakesIn = new AtomicLong();
    private final AtomicLong handshakesOut = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong badHandshakes = new AtomicLong();
    private final AtomicLong byesIn = new AtomicLong();
    private final AtomicLong byesOut = new AtomicLong();
    private final AtomicLong oversized = new AtomicLong();
    private final AtomicLong idleDrops = new AtomicLong();
    private final AtomicLong stalledDrops = new AtomicLong();
    private final AtomicLong unknownProtocol = new AtomicLong();
    private final AtomicLong droppedClosed = new AtomicLong(); // dropped by connections that have ended
    private final AtomicLong internalErrors = new AtomicLong(); // a RuntimeException out of a connection: a bug
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("gnutella-timers").factory());
    private final ExecutorService events = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("gnutella-events").factory());
    private ServerSocket listener;
    private volatile boolean closed;

    /**
     * @param counter called per message with its type and true for inbound, false for outbound
     * @param transfersConfig the upload and download settings
     */
    public Servent(Config config, GnutellaNode.Params params, SharedFiles shares, Transfers.Config transfersConfig,
                   long searchLifetimeMs, InstantSource clock, RandomGenerator random, BiConsumer<Integer, Boolean> counter,
                   Transfers.Listener transferListener) {
        this.config = config;
        this.shares = shares;
        this.clock = clock;
        this.counter = counter;
        this.hostCache = new HostCache(config.hostCacheSize());
        this.searches = new Searches(searchLifetimeMs, 1000, 200, events);
        Guid servent = Guid.random(random);
        this.node = new GnutellaNode(servent, params, shares.library(),
                new GnutellaNode.Self(config.advertisedHost(), config.port(), config.speed(), config.firewalled()), clock, random,
                new GnutellaNode.Listener() {
                    @Override
                    public void queryHit(Guid query, Messages.QueryHit hit, int hops) {
                        searches.hit(query, hit, hops, clock.millis());
                    }

                    @Override
                    public void push(Messages.Push push) {
                        transfers.pushed(push);
                    }

                    @Override
                    public void pong(Messages.Pong pong, int hops) {
                        hostCache.heard(pong.ip(), pong.port(), pong.files(), pong.kilobytes(), "pong", clock.millis());
                    }
                });
        this.transfers = new Transfers(transfersConfig, this, transferListener);
        node.busyWhen(q -> transfers.uploadSlotsFull());
    }

    /** Binds the port and starts accepting and the timers. */
    public void start() throws IOException {
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        InetAddress bind = config.bindAddress() == null || config.bindAddress().isBlank() ? null : InetAddress.getByName(config.bindAddress());
        listener.bind(new InetSocketAddress(bind, config.port()), 256);
        node.self(new GnutellaNode.Self(config.advertisedHost(), port(), config.speed(), config.firewalled()));
        Acceptor.start("gnutella-accept-" + port(), listener, () -> closed, this::accepted);
        long ka = config.keepalive().toMillis();
        timers.scheduleWithFixedDelay(() -> guarded("keep-alive", () -> node.ping(1)), ka, ka, TimeUnit.MILLISECONDS);
        long pr = config.pongRefresh().toMillis();
        timers.scheduleWithFixedDelay(() -> guarded("pong refresh", () -> node.ping(node.params().maxTtl())), 1000, pr,
                TimeUnit.MILLISECONDS);
        long check = Math.max(100, Math.min(1000, config.writeTimeout().toMillis() / 4));
        timers.scheduleWithFixedDelay(() -> guarded("watchdog", this::watchdog), check, check, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(() -> guarded("keeper", this::keep), 0, 1000, TimeUnit.MILLISECONDS);
    }

    private void guarded(String what, Runnable r) {
        try {
            r.run();
        }
        catch (RuntimeException e) {
            LOG.error("gnutella: the {} timer failed", what, e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code ip:port} as other servents reach this one. */
    public String listenAddress() {
        return config.advertisedHost() + ":" + port();
    }

    public GnutellaNode node() {
        return node;
    }

    public Config config() {
        return config;
    }

    public SharedFiles shares() {
        return shares;
    }

    public HostCache hostCache() {
        return hostCache;
    }

    public Searches searches() {
        return searches;
    }

    public Transfers transfers() {
        return transfers;
    }

    public InstantSource clock() {
        return clock;
    }

    public boolean ultrapeer() {
        return node.params().ultrapeer();
    }

    public List<Connection> connections() {
        return connections.values().stream().sorted(java.util.Comparator.comparingLong(c -> Long.parseLong(c.id().substring(1)))).toList();
    }

    public Connection connection(String id) {
        return connections.get(id);
    }

    public TransportStats transportStats() {
        long dropped = connections.values().stream().mapToLong(Connection::dropped).sum() + droppedClosed.get();
        return new TransportStats(handshakesIn.get(), handshakesOut.get(), refused.get(), badHandshakes.get(), byesIn.get(), byesOut.get(),
                oversized.get(), dropped, idleDrops.get(), stalledDrops.get(), unknownProtocol.get(), internalErrors.get());
    }

    /** Starts a search: its id is the query's GUID. */
    public Searches.Search search(String query, int ttl) {
        Guid g = Guid.random(java.util.concurrent.ThreadLocalRandom.current());
        Searches.Search s = searches.start(g, query, ttl, clock.millis());
        node.search(g, query, ttl);
        return s;
    }

    // ---- accepting ----

    private void accepted(Socket s) {
        if (sockets.size() >= config.maxConnections()) {
            refused.incrementAndGet();
            Thread.ofVirtual().start(() -> closeQuietly(s));
            return;
        }
        sockets.add(s);
        Thread.ofVirtual().name("gnutella-in").start(() -> {
            try {
                sniff(s);
            }
            catch (IOException e) {
                LOG.debug("gnutella: connection from {} ended: {}", s.getRemoteSocketAddress(), e.toString());
            }
            catch (RuntimeException e) {
                internalErrors.incrementAndGet();
                LOG.error("gnutella: the connection from {} failed", s.getRemoteSocketAddress(), e);
            }
            finally {
                sockets.remove(s);
                closeQuietly(s);
            }
        });
    }

    /** Tells a handshake, an HTTP request and a GIV apart by their first bytes. */
    private void sniff(Socket s) throws IOException {
        s.setSoTimeout((int) config.handshakeTimeout().toMillis());
        s.setTcpNoDelay(true);
        // the whole handshake (or request head, or GIV line) has handshake-timeout, not each read: a peer
        // sending a byte every few seconds does not hold a connection slot for days
        Runnable done = deadline(s);
        try {
            BufferedInputStream in = new BufferedInputStream(s.getInputStream(), 4096);
            in.mark(16);
            byte[] first = in.readNBytes(4);
            in.reset();
            String head = new String(first, StandardCharsets.ISO_8859_1);
            if (head.equals("GNUT")) {
                incoming(s, in, done);
            }
            else if (head.equals("GET ") || head.equals("HEAD")) {
                transfers.serve(s, in, null, done);
            }
            else if (head.equals("GIV ")) {
                transfers.giv(s, in, done);
            }
            else {
                other(s, head);
            }
        }
        finally {
            done.run();
        }
    }

    /** Closes {@code s} after handshake-timeout unless the returned cancel runs first. */
    private Runnable deadline(Socket s) {
        try {
            java.util.concurrent.ScheduledFuture<?> f = timers.schedule(() -> closeQuietly(s), config.handshakeTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        }
        catch (java.util.concurrent.RejectedExecutionException e) { // closing down
            closeQuietly(s);
            return () -> { };
        }
    }

    /** Neither Gnutella nor GET/HEAD nor GIV: another HTTP method gets 501, anything else is closed. */
    private void other(Socket s, String head) throws IOException {
        unknownProtocol.incrementAndGet();
        if (head.length() == 4 && head.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            s.getOutputStream().write(("HTTP/1.1 501 Not Implemented\r\nAllow: GET, HEAD\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** A neighbour connecting: read its CONNECT, accept or refuse, read its final 200. */
    private void incoming(Socket s, InputStream in, Runnable handshakeDone) throws IOException {
        OutputStream out = s.getOutputStream();
        Handshake.Message m;
        try {
            m = Handshake.read(in);
        }
        catch (MalformedMessageException e) {
            badHandshakes.incrementAndGet();
            write(out, Handshake.Message.status(400, "Bad Handshake", ourHeaders(s, false)));
            return;
        }
        if (!m.connect()) {
            badHandshakes.incrementAndGet();
            write(out, Handshake.Message.status(400, "Expected GNUTELLA CONNECT", ourHeaders(s, false)));
            return;
        }
        if (versionBelow06(m.version())) {
            refused.incrementAndGet();
            write(out, "GNUTELLA/0.6 503 Version 0.6 Required\r\n\r\n"); // a 0.4 servent would not understand headers
            return;
        }
        boolean theyUltrapeer = m.headers().isTrue("X-Ultrapeer");
        String theirAddress = listenAddressOf(m.headers(), s);
        String refusal = refusal(theyUltrapeer, theirAddress);
        if (refusal != null) {
            refused.incrementAndGet();
            write(out, Handshake.Message.status(503, refusal, ourHeaders(s, true)));
            return;
        }
        write(out, Handshake.Message.status(200, "OK", ourHeaders(s, false)));
        Handshake.Message fin;
        try {
            fin = Handshake.read(in);
        }
        catch (MalformedMessageException e) {
            badHandshakes.incrementAndGet();
            return;
        }
        if (fin.connect() || fin.code() != 200) {
            refused.incrementAndGet(); // they changed their mind
            return;
        }
        handshakeDone.run();
        handshakesIn.incrementAndGet();
        run(s, in, false, theyUltrapeer, theirAddress, m.headers());
    }

    private static boolean versionBelow06(String v) {
        String[] p = v.split("\\.");
        try {
            int major = Integer.parseInt(p[0]);
            int minor = Integer.parseInt(p[1]);
            return major == 0 && minor < 6;
        }
        catch (NumberFormatException e) {
            return true;
        }
    }

    /** Why a neighbour cannot connect now (a 503's text), or null. */
    private synchronized String refusal(boolean theyUltrapeer, String theirAddress) {
        if (closed) {
            return "Shutting Down";
        }
        if (theirAddress.equals(listenAddress())) {
            return CANNOT_CONNECT_TO_MYSELF;
        }
        if (connectionTo(theirAddress) != null) {
            return "Already Connected";
        }
        long ups = connections.values().stream().filter(Connection::ultrapeer).count();
        long leaves = connections.size() - ups;
        if (ultrapeer()) {
            if (theyUltrapeer && ups >= config.maxUltrapeers()) {
                return "Too Many Ultrapeer Connections";
            }
            if (!theyUltrapeer && leaves >= config.maxLeaves()) {
                return "Too Many Leaves";
            }
            return null;
        }
        if (!theyUltrapeer) {
            return "I Am A Shielded Leaf Node";
        }
        return ups >= config.leafUltrapeers() ? "Enough Ultrapeers" : null;
    }

    // ---- connecting ----

    /** The result of {@link #connect}: the new neighbour, or why not. */
    public record ConnectResult(Connection connection, int code, String reason, List<String> tryUltrapeers) {
    }

    /**
     * Connects to {@code host:port} and does the handshake (blocking, at most the handshake
     * timeout). A refusal's {@code X-Try-Ultrapeers} go to the host cache.
     */
    public ConnectResult connect(String host, int port) {
        String address = host + ":" + port;
        if (address.equals(listenAddress()) || selfNames.contains(address) || (port == port() && isThisHost(host))) {
            selfNames.add(address);
            return new ConnectResult(null, 0, SELF, List.of());
        }
        Connection existing = connectionTo(address);
        if (existing != null) {
            return new ConnectResult(existing, 200, "already connected", List.of());
        }
        if (!connecting.add(address)) {
            return new ConnectResult(null, 0, "a connection to it is being made", List.of());
        }
        Socket s = new Socket();
        boolean handedOver = false;
        Runnable handshakeDone = deadline(s);
        try {
            int timeout = (int) config.handshakeTimeout().toMillis();
            s.connect(new InetSocketAddress(host, port), timeout);
            s.setSoTimeout(timeout);
            s.setTcpNoDelay(true);
            sockets.add(s);
            OutputStream out = s.getOutputStream();
            write(out, Handshake.Message.connect(ourHeaders(s, false)));
            BufferedInputStream in = new BufferedInputStream(s.getInputStream(), 4096);
            Handshake.Message m = Handshake.read(in);
            List<String> tryUps = m.headers().list("X-Try-Ultrapeers");
            for (String t : tryUps) {
                heardOf(t, "X-Try-Ultrapeers");
            }
            if (m.connect()) {
                badHandshakes.incrementAndGet();
                return new ConnectResult(null, 0, "it answered CONNECT with CONNECT", List.of());
            }
            if (m.code() != 200) {
                if (m.reason().equals(CANNOT_CONNECT_TO_MYSELF) && m.headers().get("Listen-IP") != null
                        && m.headers().get("Listen-IP").strip().equals(listenAddress())) {
                    selfNames.add(address); // a name of this very servent (its own Service DNS name, say): never dialled again
                }
                return new ConnectResult(null, m.code(), m.reason(), tryUps);
            }
            boolean theyUltrapeer = m.headers().isTrue("X-Ultrapeer");
            String theirAddress = listenAddressOf(m.headers(), address); // its Listen-IP: what it calls itself when it connects to us
            synchronized (this) {
                String why = refusal(theyUltrapeer, theirAddress);
                if (why != null) { // it is a leaf and we are one, or we filled up meanwhile
                    write(out, Handshake.Message.status(503, why, new Headers()));
                    return new ConnectResult(null, 503, "refused by this servent: " + why, tryUps);
                }
                handshakeDone.run();
                write(out, Handshake.Message.status(200, "OK", new Headers()));
                handshakesOut.incrementAndGet();
                Connection c = newConnection(s, true, theyUltrapeer, theirAddress, m.headers());
                dialed.put(address, c);
                handedOver = true;
                Thread.ofVirtual().name("gnutella-out").start(() -> {
                    try {
                        loop(c, in);
                    }
                    finally {
                        sockets.remove(s);
                    }
                });
                return new ConnectResult(c, 200, "OK", tryUps);
            }
        }
        catch (MalformedMessageException e) {
            badHandshakes.incrementAndGet();
            return new ConnectResult(null, 0, "not a Gnutella 0.6 handshake: " + e.getMessage(), List.of());
        }
        catch (IOException e) {
            return new ConnectResult(null, 0, e.getClass().getSimpleName() + ": " + e.getMessage(), List.of());
        }
        finally {
            handshakeDone.run();
            connecting.remove(address);
            if (!handedOver) {
                sockets.remove(s);
                closeQuietly(s);
            }
        }
    }

    /** {@code host} names an address of this machine (loopback, or one of its interfaces). */
    private static boolean isThisHost(String host) {
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.isLoopbackAddress() || a.isAnyLocalAddress() || java.net.NetworkInterface.getByInetAddress(a) != null;
        }
        catch (IOException e) {
            return false;
        }
    }

    private void heardOf(String hostPort, String source) {
        HostPort h = HostPort.ipv4(hostPort); // not an address: ignored, as unknown headers are
        if (h != null) {
            hostCache.heard(h.host(), h.port(), -1, -1, source, clock.millis());
        }
    }

    /** Closes a neighbour's connection (with a Bye if it understands one); false if there is none. */
    public boolean disconnect(String id) {
        Connection c = connections.get(id);
        if (c == null) {
            return false;
        }
        bye(c, 200, "Closed by the user");
        return true;
    }

    private void bye(Connection c, int code, String text) {
        if (c.byeSupported()) {
            byesOut.incrementAndGet();
        }
        c.bye(code, text);
    }

    // ---- connected ----

    private Connection newConnection(Socket s, boolean outgoing, boolean ultrapeer, String address, Headers theirs) throws IOException {
        s.setSoTimeout(0); // silence is found by the watchdog (keep-alive pings are answered)
        Sockets.keepAlive(s);
        OutputStream out = new BufferedOutputStream(s.getOutputStream(), 8192); // before it is registered: nothing half-made stays
        Connection c = new Connection("c" + ids.incrementAndGet(), s, outgoing, ultrapeer, address, theirs, config.queueBytes(), counter);
        Thread.ofVirtual().name("gnutella-write").start(() -> c.writeLoop(out));
        connections.put(c.id(), c);
        node.connected(c);
        retry.remove(address);
        sendQrpTable(c);
        LOG.info("gnutella: connected to {} ({}, {}, {})", address, outgoing ? "outgoing" : "incoming", ultrapeer ? "ultrapeer" : "leaf",
                c.userAgent());
        return c;
    }

    private void run(Socket s, InputStream in, boolean outgoing, boolean ultrapeer, String address, Headers theirs) throws IOException {
        Connection c;
        synchronized (this) {
            Connection mine = connectionTo(address);
            if (mine != null && mine.outgoing() && listenAddress().compareTo(address) > 0) {
                // both dialled each other at once: both keep the connection the lower address dialled, so
                // this servent gives up its own and takes this one (the other side does the opposite)
                bye(mine, 200, "Duplicate connection");
            }
            String why = refusal(ultrapeer, address); // checked again: another may have taken the slot meanwhile
            if (why != null) {
                refused.incrementAndGet();
                return;
            }
            c = newConnection(s, outgoing, ultrapeer, address, theirs);
        }
        loop(c, in);
    }

    /** Reads a neighbour's messages until it closes, says Bye or breaks the protocol. */
    private void loop(Connection c, InputStream in) {
        PacketReader reader = new PacketReader(in, config.maxPayload());
        try {
            while (!c.closed()) {
                Packet p = reader.read();
                if (p == null) {
                    break;
                }
                c.readMark(p.type());
                if (p.type() == Packet.BYE) {
                    byesIn.incrementAndGet();
                    Messages.Bye bye = safeBye(p);
                    LOG.info("gnutella: {} said Bye {} {}", c.listenAddress(), bye == null ? "?" : bye.code(), bye == null ? "" : bye.message());
                    break;
                }
                node.onPacket(c, p);
            }
        }
        catch (PacketReader.TooLarge e) {
            oversized.incrementAndGet();
            bye(c, 400, "Message too large (" + e.length() + " > " + config.maxPayload() + " bytes)");
        }
        catch (IOException e) {
            // it went away, or reset: normal
        }
        catch (RuntimeException e) {
            internalErrors.incrementAndGet();
            LOG.error("gnutella: the connection to {} failed", c.listenAddress(), e);
        }
        finally {
            connections.remove(c.id());
            dialed.values().remove(c);
            node.disconnected(c);
            droppedClosed.addAndGet(c.dropped());
            c.close();
            // the writer sends what is queued (a Bye) and closes the socket; the caller's own close must not cut it short
            if (!c.awaitClosed(config.writeTimeout().toMillis())) {
                c.abort();
            }
            LOG.info("gnutella: {} disconnected", c.listenAddress());
        }
    }

    private static Messages.Bye safeBye(Packet p) {
        try {
            return Messages.Bye.decode(p.payload());
        }
        catch (MalformedMessageException e) {
            return null;
        }
    }

    // ---- timers ----

    private void watchdog() {
        long now = System.nanoTime();
        long idle = config.idleTimeout().toNanos();
        long stall = config.writeTimeout().toNanos();
        for (Connection c : connections.values()) {
            if (c.stalledFor(now) > stall) {
                stalledDrops.incrementAndGet();
                LOG.info("gnutella: {} stopped reading; disconnected", c.listenAddress());
                c.abort();
            }
            else if (c.idleNanos(now) > idle) {
                idleDrops.incrementAndGet();
                LOG.info("gnutella: {} silent for {} s; disconnected", c.listenAddress(), config.idleTimeout().toSeconds());
                bye(c, 408, "Idle"); // and closed once written (a stalled write is aborted above)
            }
        }
        transfers.closeStalled(now, stall);
        searches.expire(clock.millis(), transfers::searchEnded);
    }

    /** Keeps the configured peers connected (growing pauses after failures) and tops up from the host cache. */
    private void keep() {
        if (closed) {
            return;
        }
        for (Connection c : connections.values()) {
            sendQrpTable(c); // when the shares changed since the last table
        }
        long now = clock.millis();
        for (String peer : config.peers()) {
            tryConnect(peer, now);
        }
        if (config.targetConnections() > 0) {
            long ups = connections.values().stream().filter(Connection::ultrapeer).count();
            int want = (int) Math.min(config.targetConnections() - ups, 2); // a couple at a time
            for (HostCache.Host h : hostCache.all()) {
                if (want <= 0) {
                    break;
                }
                if (!connectedTo(h.address()) && !h.address().equals(listenAddress()) && tryConnect(h.address(), now)) {
                    want--;
                }
            }
        }
    }

    private volatile long qrpBuiltVersion = -1;
    private volatile List<byte[]> qrpPayloads = List.of();

    /**
     * A leaf sends its ultrapeers (those that said {@code X-Query-Routing}) its QRP table: at
     * connection, and again whenever its shares changed (a RESET and a full PATCH, which every
     * receiver accepts at any time).
     */
    private void sendQrpTable(Connection c) {
        if (ultrapeer() || !c.ultrapeer() || !c.queryRouting()) {
            return;
        }
        long version = shares.library().version();
        if (c.qrpVersion() == version) {
            return;
        }
        List<byte[]> payloads;
        synchronized (this) {
            if (qrpBuiltVersion != version) {
                qrpPayloads = org.p2plab.gnutella.protocol.Qrp.Table.of(shares.library().all(),
                        org.p2plab.gnutella.protocol.Qrp.DEFAULT_BITS).payloads();
                qrpBuiltVersion = version;
            }
            payloads = qrpPayloads;
        }
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long dropped = c.dropped();
        for (byte[] p : payloads) {
            c.send(new Packet(Guid.random(r), org.p2plab.gnutella.protocol.Qrp.ROUTE_TABLE_UPDATE, 1, 0, p));
        }
        if (c.dropped() == dropped) { // all of it queued; else it goes again at the next keeper round
            c.qrpVersion(version);
        }
    }

    private boolean connectedTo(String address) {
        return connectionTo(address) != null;
    }

    /** The neighbour that listens on {@code address}, or that we reached by dialling it (a host name, say); null if none. */
    private Connection connectionTo(String address) {
        Connection d = dialed.get(address);
        if (d != null && !d.closed()) {
            return d;
        }
        return connections.values().stream().filter(c -> !c.closed() && c.listenAddress().equals(address)).findFirst().orElse(null);
    }

    /** Starts a connection attempt to {@code peer} unless connected, being connected, or pausing after a failure. */
    private boolean tryConnect(String peer, long now) {
        if (connectedTo(peer) || connecting.contains(peer) || selfNames.contains(peer)) {
            return false;
        }
        long[] r = retry.get(peer);
        if (r != null && now < r[0]) {
            return false;
        }
        HostPort to = HostPort.parse(peer);
        if (to == null) {
            return false;
        }
        if (retry.size() > 10_000) { // hosts from pongs come and go: forget the pauses that are over
            retry.values().removeIf(x -> x[0] < now);
        }
        Thread.ofVirtual().name("gnutella-connect").start(() -> {
            ConnectResult res = connect(to.host(), to.port());
            if (res.connection() == null) {
                long[] old = retry.get(peer);
                long pause = old == null ? 1000 : Math.min(60_000, old[1] * 2);
                retry.put(peer, new long[] {clock.millis() + pause, pause});
                LOG.debug("gnutella: connecting to {} failed ({} {}); next try in {} ms", peer, res.code(), res.reason(), pause);
            }
        });
        return true;
    }

    // ---- helpers ----

    /** The headers this servent sends: in a CONNECT, a 200 and (with X-Try-Ultrapeers) a refusal. */
    Headers ourHeaders(Socket s, boolean refusal) {
        Headers h = new Headers();
        h.add("User-Agent", USER_AGENT);
        h.add("X-Ultrapeer", ultrapeer() ? "True" : "False");
        if (ultrapeer()) {
            h.add("X-Degree", Integer.toString(Math.max(16, config.maxUltrapeers())));
            h.add("X-Dynamic-Querying", "0.1");
            h.add("X-Max-TTL", Integer.toString(node.params().maxTtl()));
        }
        h.add("Listen-IP", listenAddress());
        h.add("Remote-IP", s.getInetAddress().getHostAddress());
        h.add("GGEP", "0.5");
        h.add("Pong-Caching", "0.1");
        h.add("Bye-Packet", "0.1");
        h.add("X-Query-Routing", "0.1");
        if (refusal) {
            Set<String> tries = new LinkedHashSet<>();
            for (Connection c : connections.values()) {
                if (c.ultrapeer()) {
                    tries.add(c.listenAddress());
                }
            }
            for (HostCache.Host host : hostCache.all()) {
                tries.add(host.address());
            }
            List<String> ten = new ArrayList<>(tries).subList(0, Math.min(10, tries.size()));
            if (!ten.isEmpty()) {
                h.add("X-Try-Ultrapeers", String.join(",", ten));
            }
        }
        return h;
    }

    private String listenAddressOf(Headers h, Socket s) {
        return listenAddressOf(h, s.getInetAddress().getHostAddress() + ":" + s.getPort());
    }

    /** Where a neighbour listens: its {@code Listen-IP} (or {@code X-My-Address}) if that is an IPv4 address and port, else {@code fallback}. */
    private String listenAddressOf(Headers h, String fallback) {
        String l = h.get("Listen-IP");
        if (l == null) {
            l = h.get("X-My-Address");
        }
        HostPort listen = HostPort.ipv4(l);
        if (listen == null) {
            return fallback;
        }
        heardOf(listen.toString(), "Listen-IP");
        return listen.toString();
    }

    static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        }
        catch (IOException e) {
            // closed already
        }
    }

    /** Says Bye to every neighbour that understands one, and closes everything. */
    @Override
    public void close() {
        shutdown(true);
    }

    /** Closes everything at once without a Bye, as a crash would (tests kill peers this way). */
    public void kill() {
        shutdown(false);
    }

    private void shutdown(boolean graceful) {
        if (closed) {
            return;
        }
        closed = true;
        timers.shutdownNow();
        try {
            if (listener != null) {
                listener.close();
            }
        }
        catch (IOException e) {
            // closing anyway
        }
        for (Connection c : connections.values()) {
            if (graceful) {
                bye(c, 200, "Shutting down");
            }
            else {
                c.abort();
            }
        }
        if (graceful) { // the Byes go out, for at most 2 s; then whatever is left is cut
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            for (Connection c : connections.values()) {
                if (!c.awaitClosed(Math.max(0, (until - System.nanoTime()) / 1_000_000))) {
                    c.abort();
                }
            }
        }
        transfers.close();
        for (Socket s : sockets) { // handshakes and uploads in progress
            closeQuietly(s);
        }
        events.shutdown();
    }
}
