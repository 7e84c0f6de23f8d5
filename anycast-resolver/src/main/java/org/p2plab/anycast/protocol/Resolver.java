package org.p2plab.anycast.protocol;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

import org.p2plab.anycast.dns.DnsFrontEnd;
import org.p2plab.overlay.Jitter;
import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.overlay.Timers;

/**
 * An anycast resolver (Zegura et al., ToN 2000). It holds the groups of the domains it is
 * authoritative for, probes their members every probe interval (and a new member at once), takes
 * their pushes, and answers queries by the filters named. For an ADN of another domain it asks
 * that domain's authoritative resolver for the group's members and metrics, caches them for the
 * cache TTL and answers from the cache (the paper's steps 1-6); when the authority does not
 * answer, an expired entry is still used for up to ten TTLs. Plain Java, driven by its timers.
 */
public final class Resolver {

    /**
     * @param domains       the domains this resolver is authoritative for (an ADN whose domain is one
     *                      of them or below it); empty: any ADN not sent elsewhere by {@code authorities}
     *                      or {@code parent}
     * @param authorities   the authoritative resolver's URL by domain (the longest matching domain wins)
     * @param parent        the resolver asked for any other domain; null: none
     * @param probeInterval the mean time between probe rounds (jittered)
     * @param cacheTtl      how long a group fetched from an authority is answered from the cache
     * @param threshold     the Equivalent Server set's threshold (0.3: within 30% of the best)
     */
    public record Params(List<String> domains, Map<String, String> authorities, String parent, Duration probeInterval,
                         Duration cacheTtl, double threshold) {
        public Params {
            domains = domains.stream().map(d -> d.strip().toLowerCase(Locale.ROOT)).filter(d -> !d.isEmpty()).toList();
            Map<String, String> a = new ConcurrentHashMap<>();
            authorities.forEach((d, url) -> a.put(d.strip().toLowerCase(Locale.ROOT), url.strip()));
            authorities = Map.copyOf(a);
            parent = parent == null || parent.isBlank() ? null : parent.strip();
            if (probeInterval.isNegative() || probeInterval.isZero() || cacheTtl.isNegative()) {
                throw new IllegalArgumentException("the probe interval must be positive and the cache TTL >= 0");
            }
        }
    }

    /** Where an answer came from. */
    public enum Source { LOCAL, CACHE, AUTHORITY, STALE_CACHE }

    /**
     * The answer to a query.
     *
     * @param authority the resolver the group came from (null for a local group)
     * @param hops      resolvers asked beyond this one (0 or 1)
     */
    public record Answer(Adn adn, Selection.Resolution resolution, Source source, String authority, int hops) {
    }

    /** A group this resolver holds or caches, for listings. */
    public record GroupView(Adn adn, int members, Source source, String authority, Instant expires) {
    }

    /** No resolver holds the group. */
    public static final class UnknownGroupException extends RuntimeException {
        public UnknownGroupException(String message) {
            super(message);
        }
    }

    /** This resolver is not authoritative for the ADN's domain, so it does not hold its group. */
    public static final class NotAuthoritativeException extends RuntimeException {
        public NotAuthoritativeException(String message) {
            super(message);
        }
    }

    /** The authoritative resolver did not answer and nothing usable is cached. */
    public static final class AuthorityUnavailableException extends RuntimeException {
        private final String authority;

        public AuthorityUnavailableException(String authority, String message) {
            super(message);
            this.authority = authority;
        }

        public String authority() {
            return authority;
        }
    }

    private record Cached(AnycastGroup group, Instant expires, String authority) {
    }

    /** Counts, for the metrics. */
    public record Stats(long probes, long failedProbes, long pushes, long cacheHits, long authorityFetches) {
    }

    private static final int STALE_TTLS = 10;

    private final Params params;
    private final AnycastPeer peer;
    private final Timers timers;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final AnycastGroups groups;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final AtomicLong probes = new AtomicLong();
    private final AtomicLong failedProbes = new AtomicLong();
    private final AtomicLong pushes = new AtomicLong();
    private final AtomicLong cacheHits = new AtomicLong();
    private final AtomicLong fetches = new AtomicLong();
    private volatile boolean stopped;
    private volatile Timers.Cancellable nextRound;

    public Resolver(Params params, AnycastPeer peer, Timers timers, InstantSource clock, RandomGenerator random) {
        this.params = params;
        this.peer = peer;
        this.timers = timers;
        this.clock = clock;
        this.random = random;
        this.groups = new AnycastGroups(random, params.threshold());
    }

    public Params params() {
        return params;
    }

    public void start() {
        nextRound = timers.schedule(Jitter.around(params.probeInterval(), random), this::probeRound);
    }

    public void stop() {
        stopped = true;
        Timers.Cancellable n = nextRound;
        if (n != null) {
            n.cancel();
        }
    }

    // ---- the groups it is authoritative for

    /** Whether this resolver holds the groups of {@code adn}'s domain. */
    public boolean authoritativeFor(Adn adn) {
        if (params.domains().isEmpty()) {
            return authorityFor(adn).isEmpty();
        }
        return params.domains().stream().anyMatch(adn::isIn);
    }

    private void requireAuthoritative(Adn adn) {
        if (!authoritativeFor(adn)) {
            String elsewhere = authorityFor(adn).map(a -> "; its resolver is " + a).orElse("");
            throw new NotAuthoritativeException("this resolver is authoritative for " + describeDomains()
                    + ", not for " + adn.domain() + elsewhere);
        }
    }

    private String describeDomains() {
        return params.domains().isEmpty() ? "every domain not delegated to another resolver" : String.join(", ", params.domains());
    }

    /** Creates a group; false if it exists. */
    public boolean createGroup(Adn adn) {
        requireAuthoritative(adn);
        return groups.create(adn);
    }

    public boolean deleteGroup(Adn adn) {
        return groups.remove(adn);
    }

    /** A group this resolver holds. */
    public Optional<AnycastGroup> group(Adn adn) {
        return groups.group(adn);
    }

    /** Adds a member to an existing group and probes it at once. */
    public AnycastGroup.Member addMember(Adn adn, String url, double cost) {
        AnycastGroup g = groups.group(adn).orElseThrow(() -> new UnknownGroupException(unknownLocal(adn)));
        AnycastGroup.Member m = g.add(url, cost);
        probeSoon(g, m);
        return m;
    }

    /** A content server registers itself: its group is created if this resolver is authoritative for it. */
    public AnycastGroup.Member register(Adn adn, String url, double cost) {
        if (groups.group(adn).isEmpty()) {
            requireAuthoritative(adn);
            groups.create(adn);
        }
        return addMember(adn, url, cost);
    }

    /** A push; false if {@code url} is not a member of the group (the server registers again). */
    public boolean handlePush(Adn adn, String url, double tufrMillis) {
        Optional<AnycastGroup> g = groups.group(adn);
        Optional<AnycastGroup.Member> m = g.flatMap(x -> x.byUrl(url));
        if (m.isEmpty()) {
            return false;
        }
        boolean known = g.get().push(m.get().id(), tufrMillis, clock.instant());
        if (known) {
            pushes.incrementAndGet();
        }
        return known;
    }

    /** What this resolver knows of a group it holds (what another resolver fetches). */
    public Optional<List<AnycastGroup.Metrics>> snapshot(Adn adn) {
        return groups.group(adn).map(g -> List.copyOf(g.metrics().values()));
    }

    /** The groups held here and those cached, held first. */
    public List<GroupView> groups() {
        List<GroupView> out = new ArrayList<>();
        for (AnycastGroup g : groups.all()) {
            out.add(new GroupView(g.adn(), g.members().size(), Source.LOCAL, null, null));
        }
        cache.values().stream().sorted(Comparator.comparing(c -> c.group().adn().key())).forEach(c ->
                out.add(new GroupView(c.group().adn(), c.group().members().size(), Source.CACHE, c.authority(), c.expires())));
        return out;
    }

    /** The groups this resolver holds (not those it caches). */
    public List<AnycastGroup> heldGroups() {
        return groups.all();
    }

    public int localGroups() {
        return groups.all().size();
    }

    public int localMembers() {
        return groups.all().stream().mapToInt(g -> g.members().size()).sum();
    }

    public int cachedGroups() {
        return cache.size();
    }

    public Stats stats() {
        return new Stats(probes.get(), failedProbes.get(), pushes.get(), cacheHits.get(), fetches.get());
    }

    // ---- queries

    /**
     * Resolves {@code adn} by {@code filters}: from a group held here, else from the cache, else
     * from the authoritative resolver of its domain. Unknown filters are an
     * {@link IllegalArgumentException}, a group without members an {@link IllegalStateException}.
     */
    public Answer resolve(Adn adn, List<String> filters) {
        List<Filter> chain = AnycastGroups.chain(adn, filters); // unknown filter names fail before any remote call
        Optional<AnycastGroup> local = groups.group(adn);
        if (local.isPresent()) {
            return new Answer(adn, groups.resolveIn(local.get(), chain), Source.LOCAL, null, 0);
        }
        if (authoritativeFor(adn)) {
            throw new UnknownGroupException(unknownLocal(adn));
        }
        String authority = authorityFor(adn).orElseThrow(() -> new UnknownGroupException("this resolver is authoritative for "
                + describeDomains() + " and knows no resolver for " + adn.domain()
                + " (p2plab.anycast.authorities or p2plab.anycast.parent)"));
        Instant now = clock.instant();
        Cached cached = cache.get(adn.key());
        if (cached != null && now.isBefore(cached.expires())) {
            cacheHits.incrementAndGet();
            return new Answer(adn, groups.resolveIn(cached.group(), chain), Source.CACHE, cached.authority(), 0);
        }
        Optional<List<AnycastGroup.Metrics>> fetched;
        try {
            fetches.incrementAndGet();
            fetched = peer.group(authority, adn.group());
        }
        catch (PeerUnavailableException e) {
            if (cached != null && now.isBefore(cached.expires().plus(params.cacheTtl().multipliedBy(STALE_TTLS)))) {
                return new Answer(adn, groups.resolveIn(cached.group(), chain), Source.STALE_CACHE, cached.authority(), 0);
            }
            throw new AuthorityUnavailableException(authority, "the resolver authoritative for " + adn.domain() + " ("
                    + authority + ") does not answer: " + e.getMessage());
        }
        if (fetched.isEmpty()) {
            cache.remove(adn.key());
            throw new UnknownGroupException("the resolver authoritative for " + adn.domain() + " (" + authority
                    + ") holds no group " + adn.group());
        }
        AnycastGroup group;
        try {
            group = AnycastGroup.restore(adn.group(), fetched.get());
        }
        catch (IllegalArgumentException | NullPointerException e) {
            throw new AuthorityUnavailableException(authority, "the resolver authoritative for " + adn.domain() + " ("
                    + authority + ") sent an unusable group: " + e.getMessage());
        }
        cache.put(adn.key(), new Cached(group, now.plus(params.cacheTtl()), authority));
        return new Answer(adn, groups.resolveIn(group, chain), Source.AUTHORITY, authority, 1);
    }

    /**
     * The DNS front-end's question: the server chosen for a DNS name under {@code anycast.}, by
     * the default filter (or the metric label's); empty if no resolver holds such a group.
     */
    public Optional<DnsFrontEnd.Target> answerDns(String dnsName) {
        Optional<Adn> adn = groups.fromDnsName(dnsName);
        if (adn.isEmpty()) {
            adn = cache.values().stream().map(c -> c.group().adn().matchDnsName(dnsName))
                    .flatMap(Optional::stream).findFirst();
        }
        List<Adn> readings = adn.map(List::of).orElseGet(() -> Adn.readingsOfDnsName(dnsName));
        for (Adn reading : readings) {
            try {
                return Optional.of(target(resolve(reading, List.of()).resolution().chosen().url()));
            }
            catch (UnknownGroupException e) {
                // try the next reading
            }
        }
        return Optional.empty();
    }

    /** The host and port of a member's URL, for DNS. */
    static DnsFrontEnd.Target target(String url) {
        URI uri = URI.create(url);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        String host = uri.getHost();
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new DnsFrontEnd.Target(host, port);
    }

    /** The resolver to ask for {@code adn}'s domain: the longest matching authority, else the parent. */
    public Optional<String> authorityFor(Adn adn) {
        return params.authorities().entrySet().stream().filter(e -> adn.isIn(e.getKey()))
                .max(Comparator.comparingInt(e -> e.getKey().length())).map(Map.Entry::getValue)
                .or(() -> Optional.ofNullable(params.parent()));
    }

    private String unknownLocal(Adn adn) {
        return "no group " + adn.group() + " on this resolver (authoritative for " + describeDomains() + ")";
    }

    // ---- probes

    /** Probes every member of every group held here, each on its own timer task; then re-arms. */
    void probeRound() {
        if (stopped) {
            return;
        }
        for (AnycastGroup g : groups.all()) {
            for (AnycastGroup.Member m : g.members()) {
                probeSoon(g, m);
            }
        }
        nextRound = timers.schedule(Jitter.around(params.probeInterval(), random), this::probeRound);
    }

    /** Probes every member of a group held here now, one after the other; what is known of them after. */
    public Optional<List<AnycastGroup.Metrics>> probeNow(Adn adn) {
        Optional<AnycastGroup> g = groups.group(adn);
        g.ifPresent(group -> group.members().forEach(m -> probe(group, m)));
        return g.map(group -> List.copyOf(group.metrics().values()));
    }

    private void probeSoon(AnycastGroup g, AnycastGroup.Member m) {
        if (!stopped) {
            timers.schedule(Duration.ZERO, () -> probe(g, m));
        }
    }

    private void probe(AnycastGroup g, AnycastGroup.Member m) {
        try {
            AnycastPeer.Probe p = peer.probe(m.url());
            g.probe(m.id(), p.rtMillis(), p.tufrMillis(), clock.instant());
            probes.incrementAndGet();
        }
        catch (PeerUnavailableException | IllegalArgumentException e) {
            // no answer, or a probe file that is no TUFR: leave it out until it answers
            g.unreachable(m.id(), clock.instant());
            failedProbes.incrementAndGet();
        }
    }
}
