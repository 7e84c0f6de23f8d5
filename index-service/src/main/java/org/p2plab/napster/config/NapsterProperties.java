package org.p2plab.napster.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code p2plab.napster.*}: this instance's roles, the index's knobs and the sharing peer's.
 *
 * @param role             {@code index} (the central server: REST and the Napster TCP protocol),
 *                         {@code peer} (a sharing client that logs in to an index), or both,
 *                         comma-separated
 * @param port             the index's Napster TCP port (8888; 0: any free port)
 * @param bindAddress      where the Napster TCP port listens; empty: {@code server.address}, or
 *                         every address
 * @param maxPayload       the longest Napster message accepted, in bytes (OpenNap: 2048; longer
 *                         ones are answered with an error)
 * @param loginTimeout     how long a new TCP connection has to log in
 * @param queueSize        bytes waiting to be written to one client: the answers to its own
 *                         commands wait for room, what other users send it is dropped
 * @param writeTimeout     a client that reads nothing for this long while messages wait is disconnected
 * @param maxConnections   Napster connections open at once (more get 0 "server full")
 * @param maxResults       the most hits one search returns (Napster's 100)
 * @param maxSharesPerUser the most files one user may share
 * @param autoRegister     a login (2) with an unknown nick registers it, as OpenNap does
 * @param acceptTimeout    how long a download request waits for the sharer to accept (608)
 * @param sessionTtl       a REST session ends after this long without a call
 * @param passwordCost     bcrypt's cost (log2 of its rounds; 10: about 50 ms a login)
 * @param serverName       the server's name in the message of the day
 * @param motd             the message of the day, sent after every login (621 per line)
 * @param dataDir          the H2 database's directory (users, statistics)
 * @param server           peer: the index to log in to, {@code host:port} of its Napster TCP port
 * @param peer             peer: the sharing client's settings
 */
@ConfigurationProperties("p2plab.napster")
public record NapsterProperties(
        @DefaultValue("index") List<String> role,
        @DefaultValue("8888") int port,
        String bindAddress,
        @DefaultValue("4096") int maxPayload,
        @DefaultValue("60s") Duration loginTimeout,
        @DefaultValue("1MB") org.springframework.util.unit.DataSize queueSize,
        @DefaultValue("60s") Duration writeTimeout,
        @DefaultValue("20000") int maxConnections,
        @DefaultValue("100") int maxResults,
        @DefaultValue("10000") int maxSharesPerUser,
        @DefaultValue("true") boolean autoRegister,
        @DefaultValue("30s") Duration acceptTimeout,
        @DefaultValue("10m") Duration sessionTtl,
        @DefaultValue("10") int passwordCost,
        @DefaultValue("p2plab") String serverName,
        @DefaultValue("Welcome to p2plab's Napster index. Share, search, download: the file comes from the peer, not from here.")
        List<String> motd,
        String dataDir,
        String server,
        @DefaultValue Peer peer) {

    /**
     * The sharing peer.
     *
     * @param nick        its nick (default: peer-{server.port})
     * @param password    its password (registered at the first login)
     * @param linkSpeed   the link speed it declares (0..10; 7: cable)
     * @param dataPort    the port it serves uploads on (Napster's 6699; 0: any free port)
     * @param firewalled  declare data port 0: it cannot be connected to, and pushes its uploads
     *                    (501) instead
     * @param sharedDir   the directory it shares (default: a temporary directory)
     * @param downloadDir where downloads go (default: a temporary directory)
     * @param rescan      how often it compares the directory with its share list
     * @param uploadSlots concurrent uploads it serves; more requests get "queue full" (619)
     * @param pingTimeout how long it waits for a host's pong when ranking search results
     * @param searchTimeout how long a search waits for the index's answer (then it fails with 503,
     *                    and the connection to the index is made again)
     */
    public record Peer(String nick, @DefaultValue("p2plab") String password, @DefaultValue("7") int linkSpeed,
                       @DefaultValue("6699") int dataPort, @DefaultValue("false") boolean firewalled, String sharedDir,
                       String downloadDir, @DefaultValue("10s") Duration rescan, @DefaultValue("3") int uploadSlots,
                       @DefaultValue("2s") Duration pingTimeout, @DefaultValue("10s") Duration searchTimeout) {

        public Peer {
            if (linkSpeed < 0 || linkSpeed > 10) {
                throw new IllegalArgumentException("p2plab.napster.peer.link-speed is 0..10, got " + linkSpeed);
            }
            if (dataPort < 0 || dataPort > 65535) {
                throw new IllegalArgumentException("p2plab.napster.peer.data-port is 0..65535, got " + dataPort);
            }
            if (uploadSlots < 1) {
                throw new IllegalArgumentException("p2plab.napster.peer.upload-slots is >= 1");
            }
            if (rescan.isNegative() || rescan.isZero() || pingTimeout.isNegative() || pingTimeout.isZero() || searchTimeout.isNegative()
                    || searchTimeout.isZero()) {
                throw new IllegalArgumentException("p2plab.napster.peer.rescan, ping-timeout and search-timeout are positive");
            }
        }
    }

    public NapsterProperties {
        role = role.stream().map(r -> r.strip().toLowerCase(Locale.ROOT)).filter(r -> !r.isEmpty()).toList();
        if (role.isEmpty() || !List.of("index", "peer").containsAll(role)) {
            throw new IllegalArgumentException("p2plab.napster.role is index, peer or both (comma-separated), got " + role);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("p2plab.napster.port is 0..65535, got " + port);
        }
        if (maxPayload < 64 || maxPayload > 65535) {
            throw new IllegalArgumentException("p2plab.napster.max-payload is 64..65535, got " + maxPayload);
        }
        if (queueSize.toBytes() < 70_000 || queueSize.toBytes() > 1L << 30) {
            throw new IllegalArgumentException("p2plab.napster.queue-size is 70KB..1GB (a frame is up to 64 KB)");
        }
        if (writeTimeout.isNegative() || writeTimeout.isZero() || maxConnections < 1) {
            throw new IllegalArgumentException("p2plab.napster.write-timeout is positive and max-connections >= 1");
        }
        if (passwordCost < 4 || passwordCost > 31) {
            throw new IllegalArgumentException("p2plab.napster.password-cost is bcrypt's 4..31, got " + passwordCost);
        }
        if (loginTimeout.isNegative() || loginTimeout.isZero()) {
            throw new IllegalArgumentException("p2plab.napster.login-timeout is positive");
        }
        if (role.contains("peer") && (server == null || server.isBlank())) {
            throw new IllegalArgumentException("p2plab.napster.server: a peer needs the index's host:port");
        }
        motd = List.copyOf(motd);
    }

    public boolean isIndex() {
        return role.contains("index");
    }

    public boolean isPeer() {
        return role.contains("peer");
    }
}
