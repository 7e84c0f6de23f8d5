package org.p2plab.napster.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

import io.micrometer.core.instrument.FunctionCounter;
import org.p2plab.napster.peer.SharingPeer;
import org.p2plab.overlay.ExecutorTimers;
import org.p2plab.support.lab.OverlayNodeService;
import org.p2plab.support.metrics.P2pMetrics;

/**
 * The peer role: a {@link SharingPeer} built once the web server knows its port (its default
 * nick is {@code peer-<port>}), logged in to {@code p2plab.napster.server}.
 */
public class PeerService extends OverlayNodeService {

    public static final String SYSTEM = IndexService.SYSTEM;

    private final NapsterProperties properties;
    private final P2pMetrics metrics;
    private final String serverAddress;
    private final ExecutorTimers timers = new ExecutorTimers("napster-peer");
    private volatile SharingPeer peer;

    public PeerService(NapsterProperties properties, P2pMetrics metrics, String serverAddress) {
        this.properties = properties;
        this.metrics = metrics;
        this.serverAddress = serverAddress;
    }

    /** The peer; a 503 problem until the web server has started it. */
    public SharingPeer peer() {
        SharingPeer p = peer;
        if (p == null) {
            throw org.p2plab.support.problem.ProblemException.serviceUnavailable("starting", "the peer is starting", 1);
        }
        return p;
    }

    @Override
    protected void onWebServerPort(int port) {
        NapsterProperties.Peer p = properties.peer();
        String[] hostPort = hostPort(properties.server());
        String nick = blank(p.nick()) ? "peer-" + port : p.nick().strip();
        try {
            Path shared = blank(p.sharedDir()) ? temporaryDirectory("napster-share-" + port + "-") : Path.of(p.sharedDir());
            Path downloads = blank(p.downloadDir()) ? temporaryDirectory("napster-downloads-" + port + "-") : Path.of(p.downloadDir());
            String bind = blank(properties.bindAddress()) ? serverAddress : properties.bindAddress();
            SharingPeer sp = new SharingPeer(new SharingPeer.Config(hostPort[0], Integer.parseInt(hostPort[1]), nick, p.password(),
                    p.linkSpeed(), bind, p.dataPort(), p.firewalled(), shared, downloads, p.rescan(), p.uploadSlots(), p.pingTimeout(),
                    p.searchTimeout(), properties.acceptTimeout()), timers);
            peer = sp;
            registerMetrics(sp);
            sp.onFinished(d -> record("peer-download", d.state() == org.p2plab.napster.peer.Download.State.DONE ? P2pMetrics.FOUND
                    : P2pMetrics.FAILED, Duration.between(d.started(), d.finished())));
            sp.start();
        }
        catch (IOException e) {
            throw new UncheckedIOException("napster peer: cannot open its directories or its data port " + p.dataPort(), e);
        }
    }

    /** {@code host:port} split; an IllegalArgumentException naming the property otherwise. */
    static String[] hostPort(String s) {
        String v = s == null ? "" : s.strip();
        int i = v.lastIndexOf(':');
        try {
            if (i <= 0 || i == v.length() - 1) {
                throw new IllegalArgumentException();
            }
            int port = Integer.parseInt(v.substring(i + 1));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException();
            }
            return new String[] {v.substring(0, i), Integer.toString(port)};
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("p2plab.napster.server: '" + s + "' is not host:port (the index's Napster TCP port)");
        }
    }

    private void registerMetrics(SharingPeer sp) {
        var registry = metrics.registry();
        metrics.prepare(SYSTEM, "peer-search", P2pMetrics.FOUND, P2pMetrics.NOT_FOUND, P2pMetrics.FAILED);
        metrics.prepare(SYSTEM, "peer-download", P2pMetrics.FOUND, P2pMetrics.FAILED);
        metrics.gauge("p2p.napster.peer.connected", SYSTEM, () -> sp.connected() ? 1 : 0);
        metrics.gauge("p2p.napster.peer.shared", SYSTEM, () -> sp.shares().all().size());
        metrics.gauge("p2p.napster.peer.uploading", SYSTEM, sp::uploading);
        FunctionCounter.builder("p2p.napster.peer.uploads", sp, SharingPeer::uploads).tag("system", SYSTEM).register(registry);
        FunctionCounter.builder("p2p.napster.peer.uploaded.bytes", sp, SharingPeer::uploadedBytes).tag("system", SYSTEM)
                .register(registry);
        FunctionCounter.builder("p2p.napster.peer.refused", sp, SharingPeer::refused)
                .description("upload requests answered queue-full (619)").tag("system", SYSTEM).register(registry);
    }

    /** Records a peer search or download in {@code p2p.lookup}. */
    public void record(String operation, String outcome, Duration took) {
        metrics.recordLookup(SYSTEM, operation, outcome, took, 1);
    }

    @Override
    protected void shutdown() {
        SharingPeer p = peer;
        if (p != null) {
            p.close();
        }
        timers.close();
    }
}
