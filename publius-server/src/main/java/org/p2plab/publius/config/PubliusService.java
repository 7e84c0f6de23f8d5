package org.p2plab.publius.config;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.p2plab.publius.protocol.PubliusClient;
import org.p2plab.publius.protocol.PubliusCrypto;
import org.p2plab.publius.protocol.PubliusParams;
import org.p2plab.publius.protocol.PubliusServerPeer;
import org.p2plab.publius.store.PieceStore;
import org.p2plab.support.lab.OverlayNodeService;
import org.p2plab.support.metrics.P2pMetrics;
import org.p2plab.support.problem.ProblemException;

/**
 * Builds this instance's roles once the web server knows its port: the server's
 * {@link PieceStore} (in {@code data-dir}, default {@code data/publius-<port>}) and the client's
 * {@link PubliusClient} over the static server list.
 */
public class PubliusService extends OverlayNodeService {

    static final String SYSTEM = "publius";

    private final PubliusProperties properties;
    private final PubliusServerPeer peer;
    private final P2pMetrics metrics;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private volatile PieceStore store;
    private volatile PubliusClient client;

    public PubliusService(PubliusProperties properties, PubliusServerPeer peer, P2pMetrics metrics) {
        this.properties = properties;
        this.peer = peer;
        this.metrics = metrics;
    }

    @Override
    protected void onWebServerPort(int port) {
        if (properties.server()) {
            Path dir = Path.of(blank(properties.dataDir()) ? "data/publius-" + port : properties.dataDir());
            long maxDocument = properties.maxDocumentSize().toBytes();
            store = new PieceStore(dir, PubliusCrypto.encryptedLength(maxDocument), properties.maxStoredSize().toBytes());
            metrics.gauge("p2p.publius.names", SYSTEM, () -> store.status().names());
            metrics.gauge("p2p.publius.stored.bytes", SYSTEM, () -> store.status().storedBytes());
            metrics.gauge("p2p.publius.capacity.bytes", SYSTEM, () -> store.status().maxStoredBytes());
        }
        if (properties.client()) {
            List<String> servers = new ArrayList<>();
            for (String s : properties.servers()) {
                servers.add(requireHttpUrl(stripSlash(s), "p2plab.publius.servers"));
            }
            if (servers.isEmpty()) {
                servers.add(advertisedAddress(properties.advertisedAddress(), port));
            }
            PubliusParams params = new PubliusParams(properties.maxDocumentSize().toBytes(), properties.maxUpdateHops(),
                    properties.maxKeyAttempts(), 10_000);
            client = new PubliusClient(servers, peer, params, new SecureRandom(), executor);
            metrics.gauge("p2p.publius.servers", SYSTEM, () -> client.m());
        }
    }

    @Override
    protected void shutdown() {
        executor.shutdownNow();
    }

    public PubliusProperties properties() {
        return properties;
    }

    /** The server role's store; 404 on an instance without that role, 503 before the web server is up. */
    public PieceStore store() {
        if (!properties.server()) {
            throw ProblemException.notFound("role-disabled", "this instance does not run the Publius server role "
                    + "(p2plab.publius.role=" + properties.role() + ")");
        }
        PieceStore s = store;
        if (s == null) {
            throw ProblemException.serviceUnavailable("starting", "the server is starting", 1);
        }
        return s;
    }

    /** The client role; 404 on an instance without it, 503 before the web server is up. */
    public PubliusClient client() {
        if (!properties.client()) {
            throw ProblemException.notFound("role-disabled", "this instance does not run the Publius "
                    + "client role (p2plab.publius.role=" + properties.role() + "); publish and retrieve through a client");
        }
        PubliusClient c = client;
        if (c == null) {
            throw ProblemException.serviceUnavailable("starting", "the client is starting", 1);
        }
        return c;
    }

    /** Virtual threads for calls to many servers at once. */
    public ExecutorService executor() {
        return executor;
    }

    public PubliusServerPeer peer() {
        return peer;
    }
}
