package org.p2plab.gnutella.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Tags;
import org.p2plab.gnutella.net.Searches;
import org.p2plab.gnutella.net.Servent;
import org.p2plab.gnutella.net.SharedFiles;
import org.p2plab.gnutella.net.Transfers;
import org.p2plab.gnutella.protocol.GnutellaNode;
import org.p2plab.gnutella.protocol.Library;
import org.p2plab.gnutella.protocol.Packet;
import org.p2plab.support.lab.OverlayNodeService;
import org.p2plab.support.metrics.P2pMetrics;
import org.p2plab.support.problem.ProblemException;

/**
 * The servent of this instance, built once the web server knows its port (the default
 * directories are named after it), with its metrics: {@code p2p.messages} per Gnutella message
 * type and direction, {@code p2p.lookup} for searches (time to the first hit, and its hops) and
 * downloads, and {@code p2p.gnutella.*} for the routing counters, neighbours and transfers.
 */
public class ServentService extends OverlayNodeService {

    public static final String SYSTEM = "gnutella";

    private final GnutellaProperties properties;
    private final P2pMetrics metrics;
    private final String serverAddress;
    private final ScheduledExecutorService rescans = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("gnutella-rescan").factory());
    private volatile Servent servent;

    public ServentService(GnutellaProperties properties, P2pMetrics metrics, String serverAddress) {
        this.properties = properties;
        this.metrics = metrics;
        this.serverAddress = serverAddress;
    }

    /** The servent; a 503 problem until the web server has started it. */
    public Servent servent() {
        Servent s = servent;
        if (s == null) {
            throw ProblemException.serviceUnavailable("starting", "the servent is starting", 1);
        }
        return s;
    }

    /** How long a search stays live. */
    public long searchLifetimeMillis() {
        return properties.searchLifetime().toMillis();
    }

    @Override
    protected void onWebServerPort(int httpPort) {
        GnutellaProperties p = properties;
        try {
            Path shared = blank(p.sharedDir()) ? temporaryDirectory("gnutella-share-" + httpPort + "-") : Path.of(p.sharedDir());
            Path downloads = blank(p.downloadDir()) ? temporaryDirectory("gnutella-downloads-" + httpPort + "-") : Path.of(p.downloadDir());
            SharedFiles files = new SharedFiles(shared, new Library(), p.maxShareSize().toBytes());
            files.rescan();
            String bind = blank(p.bindAddress()) ? serverAddress : p.bindAddress();
            Servent.Config c = new Servent.Config(bind, p.effectivePort(), p.advertisedHost(), p.firewalled(), p.effectivePeers(),
                    p.maxUltrapeers(), p.maxLeaves(), p.leafUltrapeers(), p.targetConnections(), p.keepalive(), p.pongRefresh(),
                    p.idleTimeout(), p.handshakeTimeout(), p.writeTimeout(), (int) p.queueSize().toBytes(), (int) p.maxPayload().toBytes(),
                    p.maxConnections(), p.speed(), p.hostCacheSize());
            GnutellaNode.Params params = new GnutellaNode.Params(p.ultrapeer(), p.maxTtl(), p.initialTtl(), p.fanout(), p.seenSize(),
                    p.seenLifetime().toMillis(), p.maxHits());
            Transfers.Config t = new Transfers.Config(p.uploadSlots(), p.retryAfter(), p.refuseFreeloaders(), downloads,
                    p.downloadAttempts(), p.maxRetryWait(), p.pushTimeout(), 500, p.maxShareSize().toBytes());
            Servent s = new Servent(c, params, files, t, p.searchLifetime().toMillis(), InstantSource.system(),
                    new java.security.SecureRandom(), (type, in) -> metrics.message(SYSTEM, Packet.typeName(type).toLowerCase(java.util.Locale.ROOT),
                    in ? P2pMetrics.IN : P2pMetrics.OUT), new Transfers.Listener() {
                        @Override
                        public void downloadEnded(Transfers.Download d) {
                            metrics.recordLookup(SYSTEM, "download", d.state() == Transfers.State.COMPLETE ? P2pMetrics.FOUND
                                    : P2pMetrics.FAILED, Duration.ofMillis(Math.max(0, d.ended() - d.started())), -1);
                        }

                        @Override
                        public void searchEnded(Searches.Search search) {
                            long[] first = search.firstHit();
                            if (first == null) {
                                metrics.recordLookup(SYSTEM, "search", P2pMetrics.NOT_FOUND, Duration.ofMillis(search.liveMillis()), -1);
                            }
                            else {
                                metrics.recordLookup(SYSTEM, "search", P2pMetrics.FOUND, Duration.ofMillis(first[0]), (int) first[1]);
                            }
                        }
                    });
            s.start();
            servent = s;
            registerMetrics(s);
            long every = p.rescan().toMillis();
            rescans.scheduleWithFixedDelay(() -> {
                try {
                    files.rescan();
                }
                catch (IOException | RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(ServentService.class).warn("gnutella: rescanning {} failed: {}", shared, e.toString());
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
        catch (IOException e) {
            throw new UncheckedIOException("gnutella: cannot open the shared or download directory, or port " + p.effectivePort(), e);
        }
    }

    private void registerMetrics(Servent s) {
        var registry = metrics.registry();
        metrics.prepare(SYSTEM, "search", P2pMetrics.FOUND, P2pMetrics.NOT_FOUND);
        metrics.prepare(SYSTEM, "download", P2pMetrics.FOUND, P2pMetrics.FAILED);
        metrics.gauge("p2p.gnutella.neighbours", SYSTEM, Tags.of("kind", "ultrapeer"),
                () -> s.connections().stream().filter(c -> c.ultrapeer()).count());
        metrics.gauge("p2p.gnutella.neighbours", SYSTEM, Tags.of("kind", "leaf"),
                () -> s.connections().stream().filter(c -> !c.ultrapeer()).count());
        metrics.gauge("p2p.gnutella.shared.files", SYSTEM, () -> s.shares().library().count());
        metrics.gauge("p2p.gnutella.host.cache", SYSTEM, () -> s.hostCache().size());
        metrics.gauge("p2p.gnutella.uploads.active", SYSTEM, () -> s.transfers().stats().activeUploads());
        GnutellaNode node = s.node();
        FunctionCounter.builder("p2p.gnutella.duplicates", node, n -> n.stats().duplicates())
                .description("queries and pings dropped as already seen").tag("system", SYSTEM).register(registry);
        FunctionCounter.builder("p2p.gnutella.ttl.expired", node, n -> n.stats().ttlExpired())
                .description("messages not forwarded because their TTL ran out").tag("system", SYSTEM).register(registry);
        FunctionCounter.builder("p2p.gnutella.routed.hits", node, n -> n.stats().routedHits())
                .description("QueryHits passed back along the reverse path").tag("system", SYSTEM).register(registry);
        FunctionCounter.builder("p2p.gnutella.dropped", s, x -> x.transportStats().dropped())
                .description("messages dropped because a neighbour's queue was full").tag("system", SYSTEM).register(registry);
        FunctionCounter.builder("p2p.gnutella.uploads", s, x -> x.transfers().stats().uploadsServed()).tag("system", SYSTEM)
                .register(registry);
        FunctionCounter.builder("p2p.gnutella.uploads.busy", s, x -> x.transfers().stats().uploadsBusy())
                .description("downloads answered 503 Busy").tag("system", SYSTEM).register(registry);
        FunctionCounter.builder("p2p.gnutella.uploaded.bytes", s, x -> x.transfers().stats().bytesUploaded()).tag("system", SYSTEM)
                .register(registry);
    }

    @Override
    protected void shutdown() {
        rescans.shutdownNow();
        Servent s = servent;
        if (s != null) {
            s.close();
        }
    }
}
