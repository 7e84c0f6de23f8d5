package org.p2plab.overcast.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Tags;
import org.p2plab.overcast.content.ContentItem;
import org.p2plab.overcast.content.ContentStore;
import org.p2plab.overcast.content.ContentSync;
import org.p2plab.overcast.content.TokenBucket;
import org.p2plab.overcast.protocol.DescendantTable;
import org.p2plab.overcast.protocol.OvercastNode;
import org.p2plab.overcast.protocol.UpDown;
import org.p2plab.overcast.transport.HttpOvercastPeer;
import org.p2plab.overlay.ExecutorTimers;
import org.p2plab.overlay.Jitter;
import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.support.lab.OverlayNodeService;
import org.p2plab.support.metrics.P2pMetrics;
import org.p2plab.support.problem.ProblemException;
import org.springframework.web.client.RestClient;

/**
 * Builds this instance once the web server knows its port: its {@link UpDown} (under the root,
 * or as the root), the {@link OvercastNode} timers (check-ins, lease expiry, tree-building
 * rounds), the content store with its serving-rate {@link TokenBucket}, and (below the root) the
 * content poll that pulls from the parent what it lacks.
 */
public class OvercastService extends OverlayNodeService {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OvercastService.class);

    public static final String SYSTEM = "overcast";
    /** Burst of the serving-rate bucket: small, so a probe measures the rate, not the burst. */
    static final long BURST = 16 * 1024;

    private final OvercastProperties properties;
    private final RestClient restClient;
    private final P2pMetrics metrics;
    private final ExecutorTimers timers = new ExecutorTimers("overcast");
    private final Clock clock = Clock.systemUTC();
    private final Map<String, AtomicLong> redirects = new ConcurrentHashMap<>();
    private final AtomicLong bytesOut = new AtomicLong();
    private final java.util.Set<String> linearChildren = ConcurrentHashMap.newKeySet();
    private volatile String self;
    private volatile UpDown updown;
    private volatile OvercastNode node;
    private volatile HttpOvercastPeer peer;
    private volatile ContentStore store;
    private volatile ContentSync sync;
    private volatile TokenBucket bucket;
    private volatile boolean stopped;

    public OvercastService(OvercastProperties properties, RestClient restClient, P2pMetrics metrics) {
        this.properties = properties;
        this.restClient = restClient;
        this.metrics = metrics;
    }

    @Override
    protected void onWebServerPort(int port) {
        String me = advertisedAddress(properties.advertisedAddress(), port);
        String root = null; // the parent this instance starts under: the root, or for a linear root the one above it
        if (!properties.isRoot()) {
            root = stripSlash(requireHttpUrl(properties.root(), "p2plab.overcast.root"));
        }
        else if (properties.isLinearRoot()) {
            root = stripSlash(requireHttpUrl(properties.upstream(), "p2plab.overcast.upstream"));
        }
        if (me.equals(root)) {
            throw new IllegalArgumentException("p2plab.overcast.root/upstream: another instance, not this one (" + me + ")");
        }
        store = new ContentStore(dataDir(port));
        bucket = new TokenBucket(properties.effectiveServingRate(), BURST);
        HttpOvercastPeer p = new HttpOvercastPeer(restClient, metrics, me, properties.hops(), properties.isLinearRoot());
        peer = p;
        // the sequence number starts from the clock: a restarted node's certificates are newer than its previous life's
        UpDown u = new UpDown(me, root, properties.lease(), clock.millis());
        updown = u;
        SplittableRandom random = new SplittableRandom();
        OvercastNode n = new OvercastNode(u, p, timers, clock, random, new OvercastNode.Params(properties.lease(),
                properties.roundPeriod(), properties.reevaluatePeriod(), properties.tolerance(), properties.isLinearRoot()));
        node = n;
        sync = new ContentSync(store, p);
        self = me;
        registerMetrics();
        n.start();
        if (root != null) {
            timers.schedule(Duration.ZERO, this::contentTick);
        }
        LOG.info("overcast {} {} (serving rate {} B/s){}", properties.role().name().toLowerCase(java.util.Locale.ROOT), me,
                bucket.rate(), root == null ? "" : ", root " + root);
    }

    private Path dataDir(int port) {
        try {
            if (!blank(properties.dataDir())) {
                return Path.of(properties.dataDir());
            }
            return temporaryDirectory("overcast-" + port + "-");
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create the content directory", e);
        }
    }

    /** Below the root: pull from the parent what this node lacks, every content-poll period. */
    private void contentTick() {
        if (stopped) {
            return;
        }
        String parent = updown.parent();
        if (parent == null) {
            return; // a linear root that took over: content now starts here
        }
        try {
            sync.sync(parent);
        }
        catch (PeerUnavailableException e) {
            LOG.debug("content poll: {}", e.getMessage()); // the parent is gone or going: the tree rounds deal with it
        }
        catch (RuntimeException e) {
            LOG.warn("content poll failed", e);
        }
        timers.schedule(Jitter.around(properties.contentPoll(), java.util.concurrent.ThreadLocalRandom.current()), this::contentTick);
    }

    private void registerMetrics() {
        for (String operation : List.of("join", "content")) {
            metrics.prepare(SYSTEM, operation, P2pMetrics.FOUND, P2pMetrics.NOT_FOUND, P2pMetrics.FAILED);
        }
        metrics.gauge("p2p.overcast.children", SYSTEM, () -> updown.children().size());
        metrics.gauge("p2p.overcast.depth", SYSTEM, () -> updown.isRoot() ? 0 : updown.ancestors().size());
        metrics.gauge("p2p.overcast.tree.nodes", SYSTEM, Tags.of("status", "alive"), () -> treeCount(true));
        metrics.gauge("p2p.overcast.tree.nodes", SYSTEM, Tags.of("status", "dead"), () -> treeCount(false));
        metrics.gauge("p2p.overcast.serving.rate", SYSTEM, () -> bucket.rate());
        metrics.gauge("p2p.overcast.content.items", SYSTEM, () -> store.items().size());
        metrics.gauge("p2p.overcast.parent.bandwidth", SYSTEM, this::parentBandwidth);
        FunctionCounter.builder("p2p.overcast.certificates", updown, UpDown::logIndex).tags("system", SYSTEM)
                .description("Certificates that changed this node's table").register(metrics.registry());
        FunctionCounter.builder("p2p.overcast.content.bytes", sync, ContentSync::bytesIn).tags("system", SYSTEM, "direction", "in")
                .baseUnit("bytes").register(metrics.registry());
        FunctionCounter.builder("p2p.overcast.content.bytes", bytesOut, AtomicLong::get).tags("system", SYSTEM, "direction", "out")
                .baseUnit("bytes").register(metrics.registry());
        FunctionCounter.builder("p2p.overcast.checksum.failures", sync, ContentSync::checksumFailures).tags("system", SYSTEM)
                .register(metrics.registry());
        for (String outcome : List.of("stayed", "moved", "rejoined")) {
            FunctionCounter.builder("p2p.overcast.rounds", node, n -> {
                OvercastNode.Stats s = n.stats();
                return switch (outcome) {
                    case "moved" -> s.moves();
                    case "rejoined" -> s.rejoins();
                    default -> s.rounds() - s.moves() - s.rejoins();
                };
            }).tags("system", SYSTEM, "outcome", outcome).register(metrics.registry());
        }
    }

    private double parentBandwidth() {
        String parent = updown.parent();
        Double b = parent == null ? null : peer.lastBandwidths().get(parent);
        return b == null ? Double.NaN : b;
    }

    private int treeCount(boolean alive) {
        UpDown u = updown;
        return (int) u.table().stream().filter(e -> u.alive(e.node()) == alive).count();
    }

    @Override
    protected void shutdown() {
        stopped = true;
        OvercastNode n = node;
        if (n != null) {
            n.stop();
        }
        timers.close();
    }

    // ---- what the controllers use

    public OvercastProperties properties() {
        return properties;
    }

    private void started() {
        if (self == null) {
            throw ProblemException.serviceUnavailable("starting", "the overcast node is starting", 1);
        }
    }

    public String self() {
        started();
        return self;
    }

    public UpDown updown() {
        started();
        return updown;
    }

    public OvercastNode node() {
        started();
        return node;
    }

    public HttpOvercastPeer peer() {
        started();
        return peer;
    }

    public ContentStore store() {
        started();
        return store;
    }

    public TokenBucket bucket() {
        started();
        return bucket;
    }

    public ContentSync sync() {
        started();
        return sync;
    }

    /** Counts bytes served (to children and clients). */
    public void served(long bytes) {
        bytesOut.addAndGet(bytes);
    }

    /** 404 on an instance that is not a root (a linear root is one: it holds the whole table). */
    public void requireRoot(String what) {
        if (!properties.isRoot()) {
            throw ProblemException.notFound("role-disabled", "this instance is an overcast node (p2plab.overcast.role=node); "
                    + what + " at the root, " + properties.root());
        }
    }

    /** 409 on a linear root below a live root: content enters the tree at the top. */
    public void requireTopRoot(String what) {
        requireRoot(what);
        String parent = updown().parent();
        if (parent != null) {
            throw ProblemException.conflict("not-the-root", "this is a linear root below " + parent + "; " + what
                    + " at the top root, " + updown.ancestors().stream().findFirst().orElse(parent)
                    + " (this one takes over if every root above it fails)");
        }
    }

    /** A child said it is a linear root (in its check-in). */
    public void linearChild(String child) {
        linearChildren.add(child);
    }

    /**
     * The linear root below this one, if it has one whose lease runs: ordinary nodes then join
     * below it, never here, so that the top of the tree stays a chain.
     */
    public Optional<String> linearChild() {
        return updown().children().stream().filter(linearChildren::contains).findFirst();
    }

    /**
     * The content item {@code group/name} as this node holds it; below the root, one it lacks is
     * pulled from its parent first (so a redirected client is served even before the next content
     * poll). Empty if nobody up the tree holds it.
     */
    public Optional<ContentItem> content(String group, String name) {
        Optional<ContentItem> mine = store().item(group, name);
        if (mine.isPresent() || updown.isRoot()) {
            return mine;
        }
        try {
            return sync.fetch(updown.parent(), group, name);
        }
        catch (PeerUnavailableException e) {
            throw ProblemException.serviceUnavailable("parent-unavailable", "this node does not hold " + group + "/" + name
                    + " yet and its parent did not deliver it (" + e.getMessage() + "); the tree is repairing", 2);
        }
    }

    /** The groups and their items this node holds. */
    public Map<String, List<ContentItem>> groups() {
        Map<String, List<ContentItem>> groups = new java.util.TreeMap<>();
        for (ContentItem i : store().items()) {
            groups.computeIfAbsent(i.group(), g -> new java.util.ArrayList<>()).add(i);
        }
        return groups;
    }

    /** Where the root sends a client: the chosen node and its depth. */
    public record Choice(String node, int depth, String reason) {
    }

    /**
     * The redirection rule (the root's knowledge of the tree, {@link DescendantTable#depths}):
     * among the nodes its table holds as alive (alive themselves and every ancestor alive), those on the client's
     * host first (the nearest a one-host lab can tell); then the one sent the fewest clients so far
     * (least loaded); then the shallowest (fewest copies between it and the root); then by URL.
     * The root serves the client itself only when no node is alive.
     */
    public Choice chooseFor(String clientHost) {
        UpDown u = updown();
        Map<String, Integer> depths = DescendantTable.depths(u.table());
        Optional<Map.Entry<String, Integer>> best = depths.entrySet().stream().filter(e -> u.alive(e.getKey()))
                .min(Comparator.<Map.Entry<String, Integer>>comparingInt(e -> sameHost(e.getKey(), clientHost) ? 0 : 1)
                        .thenComparingLong(e -> redirects.getOrDefault(e.getKey(), new AtomicLong()).get())
                        .thenComparingInt(Map.Entry::getValue)
                        .thenComparing(Map.Entry::getKey));
        if (best.isEmpty()) {
            return new Choice(self, 0, "no node is alive: the root serves");
        }
        String chosen = best.get().getKey();
        long sent = redirects.computeIfAbsent(chosen, k -> new AtomicLong()).incrementAndGet();
        return new Choice(chosen, best.get().getValue(), (sameHost(chosen, clientHost) ? "on the client's host; " : "")
                + "alive, " + (sent - 1) + " clients sent there before, depth " + best.get().getValue());
    }

    private static boolean sameHost(String url, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            return host.equalsIgnoreCase(java.net.URI.create(url).getHost());
        }
        catch (IllegalArgumentException e) {
            return false;
        }
    }
}
