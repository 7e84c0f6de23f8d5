package org.p2plab.anycast.config;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.p2plab.anycast.dns.DnsFrontEnd;
import org.p2plab.anycast.protocol.Adn;
import org.p2plab.anycast.protocol.AnycastGroup;
import org.p2plab.anycast.protocol.AnycastPeer;
import org.p2plab.anycast.protocol.PushDaemon;
import org.p2plab.anycast.protocol.Resolver;
import org.p2plab.anycast.protocol.ServerLoad;
import org.p2plab.anycast.protocol.TufrSmoother;
import org.p2plab.overlay.ExecutorTimers;
import org.p2plab.support.lab.OverlayNodeService;
import org.p2plab.support.metrics.P2pMetrics;
import org.p2plab.support.problem.ProblemException;

/**
 * Builds this instance's roles once the web server knows its port: the {@link Resolver} (probe
 * timers, the DNS front-end) and the content server (its {@link ServerLoad} knobs and
 * {@link PushDaemon}, which registers with the resolver).
 */
public class AnycastService extends OverlayNodeService {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AnycastService.class);

    public static final String SYSTEM = "anycast";

    private final AnycastProperties properties;
    private final AnycastPeer peer;
    private final P2pMetrics metrics;
    private final String serverAddress;
    private final ExecutorTimers timers = new ExecutorTimers("anycast");
    private volatile Resolver resolver;
    private volatile DnsFrontEnd dns;
    private volatile PushDaemon daemon;
    private volatile ServerLoad load;
    private volatile String selfUrl;
    private volatile String dnsError;
    private MultiGauge estimates;

    public AnycastService(AnycastProperties properties, AnycastPeer peer, P2pMetrics metrics, String serverAddress) {
        this.properties = properties;
        this.peer = peer;
        this.metrics = metrics;
        this.serverAddress = serverAddress;
    }

    @Override
    protected void onWebServerPort(int port) {
        selfUrl = advertisedAddress(properties.advertisedAddress(), port);
        SplittableRandom random = new SplittableRandom();
        if (properties.resolverRole()) {
            startResolver(random);
        }
        if (properties.contentRole()) {
            startContentServer(random);
        }
    }

    private void startResolver(SplittableRandom random) {
        Resolver r = new Resolver(new Resolver.Params(properties.domains(), properties.authorities(), properties.parent(),
                properties.probeInterval(), properties.cacheTtl(), properties.threshold()), peer, timers, Clock.systemUTC(),
                random.split());
        for (String authority : properties.authorities().values()) {
            requireHttpUrl(authority, "p2plab.anycast.authorities");
        }
        if (!blank(properties.parent())) {
            requireHttpUrl(properties.parent(), "p2plab.anycast.parent");
        }
        resolver = r;
        r.start();
        for (String operation : List.of("resolve", "dns")) {
            metrics.prepare(SYSTEM, operation, P2pMetrics.FOUND, P2pMetrics.NOT_FOUND, P2pMetrics.FAILED);
        }
        metrics.gauge("p2p.anycast.groups", SYSTEM, r::localGroups);
        metrics.gauge("p2p.anycast.members", SYSTEM, r::localMembers);
        metrics.gauge("p2p.anycast.cached.groups", SYSTEM, r::cachedGroups);
        counter("p2p.anycast.probes", "outcome", "ok", r, s -> s.probes());
        counter("p2p.anycast.probes", "outcome", "failed", r, s -> s.failedProbes());
        counter("p2p.anycast.pushes", "direction", P2pMetrics.IN, r, s -> s.pushes());
        counter("p2p.anycast.cache", "outcome", "hit", r, s -> s.cacheHits());
        counter("p2p.anycast.cache", "outcome", "fetch", r, s -> s.authorityFetches());
        estimates = MultiGauge.builder("p2p.anycast.member.estimate")
                .description("The resolver's estimated response time of each member of the groups it holds")
                .baseUnit("milliseconds").tag("system", SYSTEM).register(metrics.registry());
        refreshEstimateGauges();
        if (properties.dnsPort() >= 0) {
            try {
                InetAddress bind = InetAddress.getByName(!blank(properties.dnsAddress()) ? properties.dnsAddress()
                        : !blank(serverAddress) ? serverAddress : "0.0.0.0");
                dns = new DnsFrontEnd(bind, properties.dnsPort(), this::answerDns, properties.dnsTtl().toSeconds());
            }
            catch (IOException e) {
                // e.g. UDP 5353 held by an mDNS daemon: the resolver still answers over HTTP; GET /resolver says why
                dnsError = "the DNS front-end cannot listen on port " + properties.dnsPort()
                        + " (p2plab.anycast.dns-port; -1 turns it off): " + e.getMessage();
                LOG.error(dnsError);
                return;
            }
            DnsFrontEnd f = dns;
            FunctionCounter.builder("p2p.anycast.dns.queries", f, DnsFrontEnd::queries).tags("system", SYSTEM)
                    .description("DNS queries answered, any rcode").register(metrics.registry());
        }
    }

    private void counter(String name, String tag, String value, Resolver r,
                         java.util.function.ToLongFunction<Resolver.Stats> f) {
        FunctionCounter.builder(name, r, x -> f.applyAsLong(x.stats())).tags("system", SYSTEM, tag, value)
                .register(metrics.registry());
    }

    /** The per-member estimate gauges follow the members: refreshed every 2 s. */
    private void refreshEstimateGauges() {
        Resolver r = resolver;
        if (r == null || estimates == null) {
            return;
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (AnycastGroup g : r.heldGroups()) {
            g.metrics().values().forEach(m -> {
                if (m.estimate().isPresent()) {
                    rows.add(MultiGauge.Row.of(Tags.of("group", g.adn().toString(), "member", m.member().url()),
                            m.estimate().getAsDouble()));
                }
            });
        }
        estimates.register(rows, true);
        timers.schedule(Duration.ofSeconds(2), this::refreshEstimateGauges);
    }

    private void startContentServer(SplittableRandom random) {
        Adn group;
        try {
            group = Adn.parse(properties.group()).group();
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("p2plab.anycast.group: " + e.getMessage(), e);
        }
        String resolverUrl = !blank(properties.resolver()) ? requireHttpUrl(stripSlash(properties.resolver()), "p2plab.anycast.resolver")
                : properties.resolverRole() ? selfUrl : null;
        if (resolverUrl == null) {
            throw new IllegalArgumentException("p2plab.anycast.resolver: a content server needs the URL of its resolver");
        }
        load = new ServerLoad(new ServerLoad.Settings(properties.effectiveArtificialDelay(), properties.loadFactor()));
        PushDaemon d = new PushDaemon(new PushDaemon.Params(group, selfUrl, properties.cost(), resolverUrl,
                properties.pushInterval(), Duration.ofSeconds(2)), peer,
                new TufrSmoother(properties.smoothing(), properties.pushThreshold()), timers, Clock.systemUTC(), random.split());
        daemon = d;
        d.start();
        metrics.gauge("p2p.anycast.tufr.ms", SYSTEM, () -> d.tufr().orElse(Double.NaN));
        metrics.gauge("p2p.anycast.in.flight", SYSTEM, () -> load.inFlight());
        metrics.gauge("p2p.anycast.artificial.delay.ms", SYSTEM, () -> load.settings().artificialDelay().toNanos() / 1e6);
        FunctionCounter.builder("p2p.anycast.pushes", d, x -> x.status().pushes())
                .tags("system", SYSTEM, "direction", P2pMetrics.OUT).register(metrics.registry());
    }

    /** The DNS front-end's answers, measured as lookups. */
    private java.util.Optional<DnsFrontEnd.Target> answerDns(String name) {
        long start = System.nanoTime();
        String outcome = P2pMetrics.FAILED;
        try {
            java.util.Optional<DnsFrontEnd.Target> t = resolver.answerDns(name);
            outcome = t.isPresent() ? P2pMetrics.FOUND : P2pMetrics.NOT_FOUND;
            return t;
        }
        finally {
            metrics.recordLookup(SYSTEM, "dns", outcome, Duration.ofNanos(System.nanoTime() - start), -1);
        }
    }

    @Override
    protected void shutdown() {
        Resolver r = resolver;
        if (r != null) {
            r.stop();
        }
        PushDaemon d = daemon;
        if (d != null) {
            d.stop();
        }
        DnsFrontEnd f = dns;
        if (f != null) {
            f.close();
        }
        timers.close();
    }

    public AnycastProperties properties() {
        return properties;
    }

    /** The resolver role; 404 on an instance without it, 503 before the web server is up. */
    public Resolver resolver() {
        if (!properties.resolverRole()) {
            throw roleDisabled("resolver", "ask a resolver");
        }
        Resolver r = resolver;
        if (r == null) {
            throw ProblemException.serviceUnavailable("starting", "the resolver is starting", 1);
        }
        return r;
    }

    /** The content server's push daemon; 404 on an instance without the role, 503 before the web server is up. */
    public PushDaemon daemon() {
        contentRole();
        PushDaemon d = daemon;
        if (d == null) {
            throw ProblemException.serviceUnavailable("starting", "the content server is starting", 1);
        }
        return d;
    }

    /** The content server's load knobs. */
    public ServerLoad load() {
        daemon();
        return load;
    }

    private void contentRole() {
        if (!properties.contentRole()) {
            throw roleDisabled("content", "fetch content from a content server");
        }
    }

    private ProblemException roleDisabled(String role, String hint) {
        return ProblemException.notFound("role-disabled", "this instance does not run the anycast " + role
                + " role (p2plab.anycast.role=" + properties.role() + "); " + hint);
    }

    /** The DNS front-end's port, or -1 if it is off. */
    public int dnsPort() {
        DnsFrontEnd f = dns;
        return f == null ? -1 : f.port();
    }

    /** Why the DNS front-end is not listening, or null. */
    public String dnsError() {
        return dnsError;
    }

    /** This instance's URL. */
    public String selfUrl() {
        return selfUrl;
    }
}
