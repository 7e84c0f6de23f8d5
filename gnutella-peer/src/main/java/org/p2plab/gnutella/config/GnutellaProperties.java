package org.p2plab.gnutella.config;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code p2plab.gnutella.*}: the servent's role, its port and neighbours, the routing knobs, and
 * file transfer.
 *
 * @param ultrapeer         route queries (an ultrapeer), or be a leaf that keeps a few ultrapeer connections and routes nothing
 * @param listenPort        the Gnutella port: the 0.6 handshake, the binary messages and HTTP file transfer (6346; 0: any free port)
 * @param bindAddress       where that port listens; empty: {@code server.address}, or every address
 * @param advertisedHost    the IPv4 address this servent gives in Pongs, QueryHits, {@code Listen-IP} and pushes
 * @param firewalled        announce that it cannot be connected to: its hits ask for a push
 * @param peers             neighbours to keep connected to, {@code host:port} of their Gnutella ports
 * @param maxUltrapeers     an ultrapeer's connections to other ultrapeers (announced as {@code X-Degree}, at least 16)
 * @param maxLeaves         an ultrapeer's leaves
 * @param leafUltrapeers    a leaf's ultrapeer connections
 * @param targetConnections ultrapeer connections to keep up by picking hosts from the host cache (0: only {@code peers})
 * @param maxTtl            TTL + hops of every query and ping is clamped to this (the draft's 7)
 * @param initialTtl        the TTL of this servent's own searches when the request gives none
 * @param fanout            forward a query to at most this many ultrapeers (0: all); the seed's "query 7 partners"
 * @param maxHits           the most results this servent answers one query with
 * @param seenSize          entries of the duplicate (GUID, type) table and of each route table
 * @param seenLifetime      how long those entries last
 * @param keepalive         how often a TTL=1 ping goes to each neighbour
 * @param pongRefresh       how often a ping refreshes the pong cache and the host cache
 * @param idleTimeout       a neighbour silent this long is dropped
 * @param handshakeTimeout  how long a handshake, or a transfer's first line, may take
 * @param writeTimeout      a neighbour (or a transfer) that reads nothing for this long while bytes wait is disconnected
 * @param queueSize         bytes queued to one neighbour; what does not fit is dropped
 * @param maxPayload        the longest message accepted (longer: Bye 400 and the connection closed)
 * @param maxConnections    sockets open on the Gnutella port at once
 * @param speed             kbit/s announced in QueryHits
 * @param hostCacheSize     hosts remembered in the host cache
 * @param searchLifetime    how long a search stays live (collects hits)
 * @param sharedDir         the directory shared (default: a temporary directory)
 * @param downloadDir       where downloads go (default: a temporary directory)
 * @param rescan            how often the shared directory is compared with the shares
 * @param maxShareSize      the largest file {@code POST /shares} accepts
 * @param uploadSlots       uploads served at once; more get 503 with Retry-After (and hits say busy)
 * @param retryAfter        the Retry-After of that 503
 * @param refuseFreeloaders refuse uploads (403) to downloaders whose Pongs say they share nothing
 * @param downloadAttempts  tries per download (a broken transfer resumes with Range; a busy servent is waited for)
 * @param maxRetryWait      the longest Retry-After a download waits
 * @param pushTimeout       how long a download waits for the GIV after its Push
 * @param labIndex          in the lab: this node's number (its port is {@code lab-wire-port + 100 * lab-index}); -1: not in the lab
 * @param labWirePort       in the lab: node 0's Gnutella port
 * @param labPeers          in the lab: the nodes to connect to, by number
 */
@ConfigurationProperties("p2plab.gnutella")
public record GnutellaProperties(
        @DefaultValue("true") boolean ultrapeer,
        @DefaultValue("6346") int listenPort,
        String bindAddress,
        @DefaultValue("127.0.0.1") String advertisedHost,
        @DefaultValue("false") boolean firewalled,
        @DefaultValue List<String> peers,
        @DefaultValue("32") int maxUltrapeers,
        @DefaultValue("30") int maxLeaves,
        @DefaultValue("3") int leafUltrapeers,
        @DefaultValue("0") int targetConnections,
        @DefaultValue("7") int maxTtl,
        @DefaultValue("7") int initialTtl,
        @DefaultValue("0") int fanout,
        @DefaultValue("50") int maxHits,
        @DefaultValue("100000") int seenSize,
        @DefaultValue("10m") Duration seenLifetime,
        @DefaultValue("15s") Duration keepalive,
        @DefaultValue("60s") Duration pongRefresh,
        @DefaultValue("60s") Duration idleTimeout,
        @DefaultValue("10s") Duration handshakeTimeout,
        @DefaultValue("30s") Duration writeTimeout,
        @DefaultValue("512KB") DataSize queueSize,
        @DefaultValue("64KB") DataSize maxPayload,
        @DefaultValue("256") int maxConnections,
        @DefaultValue("1000") long speed,
        @DefaultValue("1000") int hostCacheSize,
        @DefaultValue("60s") Duration searchLifetime,
        String sharedDir,
        String downloadDir,
        @DefaultValue("10s") Duration rescan,
        @DefaultValue("100MB") DataSize maxShareSize,
        @DefaultValue("4") int uploadSlots,
        @DefaultValue("30s") Duration retryAfter,
        @DefaultValue("false") boolean refuseFreeloaders,
        @DefaultValue("5") int downloadAttempts,
        @DefaultValue("60s") Duration maxRetryWait,
        @DefaultValue("15s") Duration pushTimeout,
        @DefaultValue("-1") int labIndex,
        @DefaultValue("6346") int labWirePort,
        @DefaultValue List<Integer> labPeers) {

    public GnutellaProperties {
        check(listenPort >= 0 && listenPort <= 65535, "listen-port is 0..65535");
        check(org.p2plab.overlay.Ipv4.octets(advertisedHost) != null, "advertised-host is an IPv4 address (Gnutella's messages carry IPv4)");
        check(maxUltrapeers >= 1 && maxLeaves >= 0 && leafUltrapeers >= 1, "max-ultrapeers >= 1, max-leaves >= 0, leaf-ultrapeers >= 1");
        check(targetConnections >= 0, "target-connections >= 0");
        check(maxTtl >= 1 && maxTtl <= 255 && initialTtl >= 1 && initialTtl <= maxTtl, "1 <= initial-ttl <= max-ttl <= 255");
        check(fanout >= 0 && maxHits >= 1 && maxHits <= 255 && seenSize >= 16, "fanout >= 0, max-hits 1..255, seen-size >= 16");
        for (Duration d : List.of(seenLifetime, keepalive, pongRefresh, idleTimeout, handshakeTimeout, writeTimeout, searchLifetime, rescan,
                retryAfter, maxRetryWait, pushTimeout)) {
            check(d.isPositive(), "durations are positive");
        }
        check(idleTimeout.compareTo(keepalive) > 0, "idle-timeout is longer than keepalive (a live neighbour answers each keep-alive ping)");
        check(queueSize.toBytes() >= 70_000 && queueSize.toBytes() <= 1L << 30, "queue-size is 70KB..1GB (a message is up to 64 KB)");
        check(maxPayload.toBytes() >= 1024 && maxPayload.toBytes() <= 1 << 20, "max-payload is 1KB..1MB");
        check(maxConnections >= 1 && speed >= 0 && speed <= 0xFFFFFFFFL && hostCacheSize >= 1, "max-connections, host-cache-size >= 1");
        check(uploadSlots >= 1 && downloadAttempts >= 1 && maxShareSize.toBytes() >= 1, "upload-slots, download-attempts >= 1");
        check(labWirePort >= 1 && labWirePort <= 65535, "lab-wire-port is 1..65535");
    }

    private static void check(boolean ok, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("p2plab.gnutella." + rule);
        }
    }

    /** The Gnutella port: {@code listen-port}, or the lab's layout. */
    public int effectivePort() {
        return labIndex >= 0 ? labWirePort + 100 * labIndex : listenPort;
    }

    /** The neighbours to keep: {@code peers}, and the lab's. */
    public List<String> effectivePeers() {
        List<String> all = new java.util.ArrayList<>(peers.stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
        for (int j : labPeers) {
            all.add(advertisedHost + ":" + (labWirePort + 100 * j));
        }
        return all;
    }
}
