package org.p2plab.gnutella.protocol;

import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * A servent's routing core, plain Java: what to do with each message a neighbour sends, as the
 * 0.6 draft prescribes. Broadcasts (Ping, Query) are dropped when their (GUID, type) was seen;
 * their TTL is decremented and their hops incremented before forwarding, never at TTL 0, and
 * their TTL + hops is clamped to {@code maxTtl} (replies are not clamped: they retrace a path). Pongs and QueryHits go back along the reverse path
 * (the neighbour the ping or query came from); a Push goes toward the neighbour that delivered
 * hits from its servent GUID. Pings are answered, not flooded: a servent's own Pong (always, so
 * TTL=1 keep-alives get one) and, for TTL > 1, up to 10 Pongs it cached from its other
 * neighbours. Leaves route nothing; an ultrapeer forwards queries to its ultrapeers while the TTL
 * lasts and to its leaves whatever the TTL (through an optional per-leaf filter, as QRP tables
 * would).
 * <p>
 * Thread-safe: one lock; {@link Link#send} is called under it and must not block (the transport
 * queues; the simulator schedules).
 */
public final class GnutellaNode {

    /** A QueryHit this servent sends stays below this many bytes of payload (servents drop messages over 64 KB). */
    static final int MAX_HIT_BYTES = 32 * 1024;

    /** A neighbour. */
    public interface Link {
        String id();

        /** The neighbour said {@code X-Ultrapeer: True}. */
        boolean ultrapeer();

        /** Queues a message to the neighbour; must not block or call back into the node. */
        void send(Packet p);
    }

    /** What reaches this servent for itself. Called under the node's lock: must not block. */
    public interface Listener {
        default void queryHit(Guid query, Messages.QueryHit hit, int hops) {
        }

        default void push(Messages.Push push) {
        }

        default void pong(Messages.Pong pong, int hops) {
        }
    }

    /**
     * The knobs.
     *
     * @param ultrapeer       route (true), or be a leaf that routes nothing
     * @param maxTtl          TTL + hops of any message is clamped to this (the draft's 7)
     * @param initialTtl      TTL of this servent's own queries
     * @param fanout          forward a query to at most this many ultrapeers (0: all): the seed's "query 7 partners"
     * @param seenCapacity    entries of the seen-table and of each route table
     * @param seenLifetimeMs  how long an entry lasts
     * @param maxHitsPerQuery the most results this servent answers one query with
     */
    public record Params(boolean ultrapeer, int maxTtl, int initialTtl, int fanout, int seenCapacity, long seenLifetimeMs,
                         int maxHitsPerQuery) {

        public Params {
            if (maxTtl < 1 || maxTtl > 255 || initialTtl < 1 || initialTtl > maxTtl) {
                throw new IllegalArgumentException("1 <= initial TTL <= max TTL <= 255");
            }
            if (fanout < 0 || seenCapacity < 16 || seenLifetimeMs < 1 || maxHitsPerQuery < 1 || maxHitsPerQuery > 255) {
                throw new IllegalArgumentException("fanout >= 0, seen capacity >= 16, lifetime > 0, hits per query 1..255");
            }
        }

        public static Params defaults(boolean ultrapeer) {
            return new Params(ultrapeer, 7, 7, 0, 100_000, 10 * 60_000L, 50);
        }
    }

    /**
     * This servent as it announces itself.
     *
     * @param ip         its address
     * @param port       its port
     * @param speed      kbit/s, in its hits
     * @param firewalled it cannot be connected to (hits say push; firewalled queriers are not answered)
     */
    public record Self(String ip, int port, long speed, boolean firewalled) {
    }

    /** Counters (see {@link #stats}). */
    public record Stats(Map<String, Long> in, Map<String, Long> out, long duplicates, long ttlExpired, long routedHits,
                        long unroutable, long malformed, long clamped, long qrpTables, long qrpErrors) {
    }

    private record Seen(Guid guid, int type) {
    }

    private record CachedPong(Messages.Pong pong, byte[] payload, int hops) {
    }

    private final Guid servent;
    private final Params params;
    private final Library library;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final Listener listener;
    private volatile Self self;
    private volatile Predicate<Messages.Query> busy = q -> false;
    private final List<Link> links = new ArrayList<>();
    private final Map<Link, Predicate<Set<String>>> leafFilters = new ConcurrentHashMap<>();
    private final Map<Link, Qrp.Receiver> qrpReceivers = new java.util.HashMap<>();
    private final Map<Link, Qrp.Table> qrpTables = new java.util.HashMap<>();
    private long qrpTablesReceived;
    private long qrpErrors;
    private final Map<Link, Deque<CachedPong>> pongCache = new LinkedHashMap<>();
    private final RouteTable<Seen, Boolean> seen;
    private final RouteTable<Guid, Link> pingRoutes;
    private final RouteTable<Guid, Link> queryRoutes;
    private final RouteTable<Guid, Link> serventRoutes;
    private final Set<Guid> ownQueries = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Guid, Boolean> e) {
            return size() > 10_000;
        }
    });
    private final Map<String, AtomicLong> in = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> out = new ConcurrentHashMap<>();
    private long duplicates;
    private long ttlExpired;
    private long routedHits;
    private long unroutable;
    private long malformed;
    private long clamped;

    public GnutellaNode(Guid servent, Params params, Library library, Self self, InstantSource clock, RandomGenerator random,
                        Listener listener) {
        this.servent = servent;
        this.params = params;
        this.library = library;
        this.self = self;
        this.clock = clock;
        this.random = random;
        this.listener = listener;
        this.seen = new RouteTable<>(params.seenCapacity(), params.seenLifetimeMs());
        this.pingRoutes = new RouteTable<>(params.seenCapacity(), params.seenLifetimeMs());
        this.queryRoutes = new RouteTable<>(params.seenCapacity(), params.seenLifetimeMs());
        this.serventRoutes = new RouteTable<>(params.seenCapacity(), params.seenLifetimeMs());
    }

    public Guid servent() {
        return servent;
    }

    public Params params() {
        return params;
    }

    public Self self() {
        return self;
    }

    public void self(Self s) {
        self = s;
    }

    /** Whether this servent's upload slots are full (its hits then say busy). */
    public void busyWhen(Predicate<Messages.Query> isBusy) {
        busy = isBusy;
    }

    // ---- neighbours ----

    public synchronized void connected(Link link) {
        if (!links.contains(link)) {
            links.add(link);
        }
    }

    /** {@code link} left: its routes and cached pongs go with it. */
    public synchronized void disconnected(Link link) {
        links.remove(link);
        leafFilters.remove(link);
        qrpReceivers.remove(link);
        qrpTables.remove(link);
        pongCache.remove(link);
        pingRoutes.removeValue(link);
        queryRoutes.removeValue(link);
        serventRoutes.removeValue(link);
    }

    public synchronized List<Link> links() {
        return List.copyOf(links);
    }

    /** Only queries with every word in this leaf's words go to it (a QRP table's effect); null: all. */
    public void leafFilter(Link leaf, Predicate<Set<String>> filter) {
        if (filter == null) {
            leafFilters.remove(leaf);
        }
        else {
            leafFilters.put(leaf, filter);
        }
    }

    // ---- this servent's own messages ----

    /** Starts a search: a new GUID, sent to every neighbour (a leaf: to its ultrapeers). */
    public synchronized Guid search(String criteria, int ttl) {
        return search(Guid.random(random), criteria, ttl);
    }

    /** {@link #search(String, int)} under a GUID of the caller's. */
    public synchronized Guid search(Guid g, String criteria, int ttl) {
        int t = Math.max(1, Math.min(ttl, params.maxTtl()));
        int flags = Messages.FLAG_MARK | (self.firewalled() ? Messages.FLAG_FIREWALLED : 0);
        Packet p = new Packet(g, Packet.QUERY, t, 0, new Messages.Query(flags, criteria, List.of()).encode());
        ownQueries.add(g);
        seen.putIfAbsent(new Seen(g, Packet.QUERY), true, clock.millis());
        Set<String> words = Library.words(criteria);
        for (Link l : links) {
            if (params.ultrapeer() && !l.ultrapeer() && !leafWants(l, words, List.of())) {
                continue;
            }
            send(l, p);
        }
        return g;
    }

    /** Pings every neighbour (keep-alive with TTL 1; a pong-cache refresh with more). */
    public synchronized void ping(int ttl) {
        Packet p = new Packet(Guid.random(random), Packet.PING, Math.max(1, Math.min(ttl, params.maxTtl())), 0, new byte[0]);
        seen.putIfAbsent(new Seen(p.guid(), Packet.PING), true, clock.millis());
        for (Link l : links) {
            send(l, p);
        }
    }

    /** Sends a Push toward the firewalled servent that returned a hit (routed by its GUID). False: no route. */
    public synchronized boolean push(Guid target, long index, String ip, int port) {
        Link route = serventRoutes.get(target, clock.millis());
        if (route == null) {
            return false;
        }
        Packet p = new Packet(Guid.random(random), Packet.PUSH, params.maxTtl(), 0, new Messages.Push(target, index, ip, port).encode());
        seen.putIfAbsent(new Seen(p.guid(), Packet.PUSH), true, clock.millis());
        send(route, p);
        return true;
    }

    // ---- inbound ----

    /** One message from {@code from}. Never throws for bad input: malformed messages are counted and dropped. */
    public synchronized void onPacket(Link from, Packet p) {
        in.computeIfAbsent(Packet.typeName(p.type()), k -> new AtomicLong()).incrementAndGet();
        boolean broadcast = p.type() == Packet.QUERY || p.type() == Packet.PING;
        if (broadcast && p.ttl() + p.hops() > params.maxTtl()) { // replies are let through: they only retrace a path
            clamped++;
            p = p.withTtl(Math.max(0, params.maxTtl() - p.hops()));
        }
        try {
            switch (p.type()) {
                case Packet.PING -> ping(from, p);
                case Packet.PONG -> pong(from, p);
                case Packet.QUERY -> query(from, p);
                case Packet.QUERY_HIT -> hit(from, p);
                case Packet.PUSH -> pushed(from, p);
                case Qrp.ROUTE_TABLE_UPDATE -> routeTable(from, p);
                default -> {
                    // Bye is the transport's; unknown types are dropped, never forwarded
                }
            }
        }
        catch (MalformedMessageException e) {
            malformed++;
        }
    }

    private void ping(Link from, Packet p) {
        long now = clock.millis();
        if (!seen.putIfAbsent(new Seen(p.guid(), Packet.PING), true, now)) {
            duplicates++;
            return;
        }
        pingRoutes.put(p.guid(), from, now);
        Messages.Ping.decode(p.payload()); // checks a GGEP block, if any
        int replyTtl = Math.min(params.maxTtl(), p.hops() + 1);
        Self s = self;
        send(from, new Packet(p.guid(), Packet.PONG, replyTtl, 0,
                new Messages.Pong(s.port(), s.ip(), library.count(), library.kilobytes(), List.of()).encode()));
        if (p.ttl() > 1) { // pong caching: answer for the others instead of flooding the ping
            int sent = 0;
            for (Map.Entry<Link, Deque<CachedPong>> e : pongCache.entrySet()) {
                if (e.getKey() == from) {
                    continue;
                }
                for (CachedPong c : e.getValue()) {
                    int hops = c.hops() + 1;
                    int ttl = params.maxTtl() - hops;
                    if (ttl < p.hops() || ttl < 1 || sent >= 10) {
                        continue;
                    }
                    send(from, new Packet(p.guid(), Packet.PONG, ttl, hops, c.payload()));
                    sent++;
                }
            }
        }
    }

    private void pong(Link from, Packet p) {
        Messages.Pong pong = Messages.Pong.decode(p.payload());
        Deque<CachedPong> cache = pongCache.computeIfAbsent(from, k -> new ArrayDeque<>());
        if (cache.size() >= 10) {
            cache.removeFirst();
        }
        cache.addLast(new CachedPong(pong, p.payload(), p.hops()));
        listener.pong(pong, p.hops());
        Link route = pingRoutes.get(p.guid(), clock.millis());
        if (route != null && route != from) {
            forward(route, p);
        }
    }

    private void query(Link from, Packet p) {
        long now = clock.millis();
        if (!seen.putIfAbsent(new Seen(p.guid(), Packet.QUERY), true, now)) {
            duplicates++;
            return;
        }
        queryRoutes.put(p.guid(), from, now);
        Messages.Query q = Messages.Query.decode(p.payload());
        answer(from, p, q);
        if (!params.ultrapeer()) {
            return; // a leaf routes nothing
        }
        Packet next = p.forwarded();
        Set<String> words = Library.words(q.criteria());
        List<Link> ultrapeers = new ArrayList<>();
        for (Link l : links) {
            if (l == from) {
                continue;
            }
            if (l.ultrapeer()) {
                ultrapeers.add(l);
            }
            else if (leafWants(l, words, q.urns())) { // leaves get queries whatever the TTL: an ultrapeer and its leaves are one unit
                send(l, next.ttl() > 0 ? next : next.withTtl(1));
            }
        }
        if (next.ttl() <= 0) {
            if (!ultrapeers.isEmpty()) {
                ttlExpired++;
            }
            return;
        }
        if (params.fanout() > 0 && ultrapeers.size() > params.fanout()) {
            Collections.shuffle(ultrapeers, java.util.Random.from(random));
            ultrapeers = ultrapeers.subList(0, params.fanout());
        }
        for (Link l : ultrapeers) {
            send(l, next);
        }
    }

    /** A leaf's QRP table decides, if it sent one; else a filter set by {@link #leafFilter}; else it gets every query. */
    private boolean leafWants(Link leaf, Set<String> words, List<String> urns) {
        Qrp.Table t = qrpTables.get(leaf);
        if (t != null) {
            return t.matches(words, urns);
        }
        Predicate<Set<String>> f = leafFilters.get(leaf);
        return f == null || f.test(words);
    }

    /** Local matches go back as one QueryHit (a firewalled servent does not answer a firewalled querier). */
    private void answer(Link from, Packet p, Messages.Query q) {
        Self s = self;
        if (s.firewalled() && q.firewalled()) {
            return;
        }
        List<Library.SharedFile> files = library.search(q.criteria(), q.urns(), params.maxHitsPerQuery());
        if (files.isEmpty()) {
            return;
        }
        List<Messages.Result> results = new ArrayList<>(files.size());
        int bytes = 11 + 23 + 16; // the hit's head, a QHD, the servent GUID
        for (Library.SharedFile f : files) {
            int size = 8 + 2 + f.name().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + (f.urn() == null ? 0 : f.urn().length());
            if (bytes + size > MAX_HIT_BYTES) {
                break; // the rest would make a message other servents refuse (64 KB is the usual limit)
            }
            bytes += size;
            results.add(new Messages.Result(f.index(), Math.min(f.size(), 0xFFFFFFFFL), f.name(),
                    f.urn() == null ? List.of() : List.of(f.urn())));
        }
        Messages.QueryHit hit = new Messages.QueryHit(s.port(), s.ip(), s.speed(), results,
                new Messages.Qhd("P2PL", s.firewalled(), busy.test(q), null), servent);
        // TTL: the query's hops + 2 (the draft's SHOULD), enough to retrace its path even to a leaf beyond the max TTL
        send(from, new Packet(p.guid(), Packet.QUERY_HIT, Math.min(255, p.hops() + 2), 0, hit.encode()));
    }

    private void hit(Link from, Packet p) {
        Messages.QueryHit hit = Messages.QueryHit.decode(p.payload());
        long now = clock.millis();
        serventRoutes.put(hit.servent(), from, now);
        if (ownQueries.contains(p.guid())) {
            listener.queryHit(p.guid(), hit, p.hops());
            return;
        }
        Link route = queryRoutes.get(p.guid(), now);
        if (route == null) {
            unroutable++;
            return;
        }
        if (forward(route, p)) {
            routedHits++;
        }
    }

    /**
     * A leaf's QRP table (RESET and PATCH messages). Until its sequence completes the leaf gets
     * every query (the draft encourages this); a broken sequence drops its table, so it gets every
     * query again, until its next RESET. Tables from ultrapeers (the last-hop QRP between
     * ultrapeers) and to leaves are not used.
     */
    private void routeTable(Link from, Packet p) {
        if (!params.ultrapeer() || from.ultrapeer()) {
            return;
        }
        Qrp.Receiver r = qrpReceivers.computeIfAbsent(from, k -> new Qrp.Receiver());
        try {
            Qrp.Table t = r.onMessage(p.payload());
            if (t != null) {
                qrpTables.put(from, t);
                qrpTablesReceived++;
            }
        }
        catch (MalformedMessageException e) {
            qrpTables.remove(from);
            qrpErrors++;
            throw e;
        }
    }

    /** The QRP table a leaf sent (null: none yet). */
    public synchronized Qrp.Table qrpTable(Link leaf) {
        return qrpTables.get(leaf);
    }

    private void pushed(Link from, Packet p) {
        if (!seen.putIfAbsent(new Seen(p.guid(), Packet.PUSH), true, clock.millis())) {
            duplicates++;
            return;
        }
        Messages.Push push = Messages.Push.decode(p.payload());
        if (push.servent().equals(servent)) {
            listener.push(push);
            return;
        }
        Link route = serventRoutes.get(push.servent(), clock.millis());
        if (route == null) {
            unroutable++;
            return;
        }
        forward(route, p);
    }

    /** Sends {@code p} one hop further to {@code to}, unless its TTL is spent. */
    private boolean forward(Link to, Packet p) {
        Packet next = p.forwarded();
        if (next.ttl() <= 0) {
            ttlExpired++;
            return false;
        }
        send(to, next);
        return true;
    }

    private void send(Link to, Packet p) {
        out.computeIfAbsent(Packet.typeName(p.type()), k -> new AtomicLong()).incrementAndGet();
        to.send(p);
    }

    public synchronized Stats stats() {
        Map<String, Long> i = new java.util.TreeMap<>();
        in.forEach((k, v) -> i.put(k, v.get()));
        Map<String, Long> o = new java.util.TreeMap<>();
        out.forEach((k, v) -> o.put(k, v.get()));
        return new Stats(i, o, duplicates, ttlExpired, routedHits, unroutable, malformed, clamped, qrpTablesReceived, qrpErrors);
    }

    /** Hosts learnt from pongs (the host cache's source), most recent last. */
    public synchronized List<Messages.Pong> cachedPongs() {
        List<Messages.Pong> outList = new ArrayList<>();
        Set<String> seenHosts = new HashSet<>();
        for (Deque<CachedPong> d : pongCache.values()) {
            for (CachedPong c : d) {
                if (seenHosts.add(c.pong().ip() + ":" + c.pong().port())) {
                    outList.add(c.pong());
                }
            }
        }
        return outList;
    }
}
