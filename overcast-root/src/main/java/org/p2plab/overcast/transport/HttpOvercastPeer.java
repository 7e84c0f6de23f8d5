package org.p2plab.overcast.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

import org.p2plab.overcast.content.ContentItem;
import org.p2plab.overcast.content.ContentSync;
import org.p2plab.overcast.protocol.OvercastPeer;
import org.p2plab.overcast.protocol.UpDown;
import org.p2plab.overcast.transport.PeerDtos.CheckInReply;
import org.p2plab.overcast.transport.PeerDtos.CheckInRequest;
import org.p2plab.overcast.transport.PeerDtos.ItemDto;
import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.support.http.PeerClient;
import org.p2plab.support.http.PeerRejectedException;
import org.p2plab.support.metrics.P2pMetrics;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;

/**
 * {@link OvercastPeer} and {@link ContentSync.Source} over HTTP: check-ins, probes, children
 * and content go to the other node's /peer API. A bandwidth is measured the way the paper does:
 * the timed download of a fixed-size probe object (timed from the response's headers to its last
 * byte, so connection set-up is not counted).
 */
public class HttpOvercastPeer implements OvercastPeer, ContentSync.Source {

    public static final String SYSTEM = "overcast";
    /** The header carrying a content item's SHA-256 (peer pulls check it; clients may). */
    public static final String SHA256_HEADER = "X-Overcast-Sha256";

    private final PeerClient peers;
    private final String self;
    private final int hops;
    private final boolean linearRoot;
    private final java.util.Map<String, Double> lastBandwidth = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param self this node's URL, sent with probes so the other side knows whether a child measures
     * @param hops the configured hop count reported for every peer
     * @param linearRoot whether this node is a linear root (it says so in check-ins and probes)
     */
    public HttpOvercastPeer(RestClient client, P2pMetrics metrics, String self, int hops, boolean linearRoot) {
        this.peers = new PeerClient(client, metrics, SYSTEM);
        this.self = self;
        this.hops = hops;
        this.linearRoot = linearRoot;
    }

    @Override
    public UpDown.Reply checkIn(String parent, UpDown.CheckIn checkIn) {
        // a refusal (e.g. from a parent that has become this node's descendant) is as good as gone: a round finds another
        CheckInReply r = usable(parent, "the check-in", () -> peers.post(parent, "check-in", "/peer/check-in",
                CheckInRequest.of(checkIn, linearRoot), CheckInReply.class));
        if (r == null || r.ancestors() == null) {
            throw new PeerUnavailableException(parent, "the check-in's answer holds no ancestors");
        }
        return new UpDown.Reply(r.ancestors());
    }

    @Override
    public double bandwidth(String node) {
        // the status is read here (exchange applies no status handlers): a refusal is a PeerUnavailableException already
        double b = peers.call(node, "probe", c -> c.get().uri(node + "/peer/probe?from={self}&linear={linear}", self, linearRoot)
                .exchange((req, res) -> {
                    if (!res.getStatusCode().is2xxSuccessful()) {
                        throw new PeerUnavailableException(node, "the probe answered " + res.getStatusCode().value());
                    }
                    long start = System.nanoTime();
                    long bytes;
                    try (InputStream in = res.getBody()) {
                        bytes = in.transferTo(OutputStream.nullOutputStream());
                    }
                    double seconds = Math.max(1e-6, (System.nanoTime() - start) / 1e9);
                    if (bytes == 0) {
                        throw new PeerUnavailableException(node, "an empty probe object");
                    }
                    return bytes / seconds;
                }));
        lastBandwidth.put(node, b);
        return b;
    }

    @Override
    public int hops(String node) {
        return hops;
    }

    @Override
    public List<String> children(String node) {
        String[] children = usable(node, "children", () -> peers.get(node, "children", "/peer/children", String[].class));
        return children == null ? List.of() : Arrays.asList(children);
    }

    @Override
    public List<ContentItem> catalog(String parent) {
        ItemDto[] items = usable(parent, "the catalog", () -> peers.get(parent, "catalog", "/peer/catalog", ItemDto[].class));
        try {
            return items == null ? List.of() : Arrays.stream(items).map(ItemDto::toItem).toList();
        }
        catch (IllegalArgumentException e) {
            throw new PeerUnavailableException(parent, "a bad catalog entry: " + e.getMessage(), e);
        }
    }

    @Override
    public void pull(String parent, ContentItem item, long offset, OutputStream out) throws IOException {
        // as for probes, the status is read here: a refusal is a PeerUnavailableException already
        peers.call(parent, "content", c -> c.get().uri(parent + "/peer/content/{group}/{name}", item.group(), item.name())
                    .header(HttpHeaders.RANGE, "bytes=" + offset + "-").exchange((req, res) -> {
                        int status = res.getStatusCode().value();
                        if (status != 206 && !(status == 200 && offset == 0)) {
                            throw new PeerUnavailableException(parent, "the pull of " + item.key() + " from byte " + offset
                                    + " answered " + status);
                        }
                        String sha = res.getHeaders().getFirst(SHA256_HEADER);
                        if (!item.sha256().equals(sha)) {
                            throw new PeerUnavailableException(parent, "the parent holds other bytes under " + item.key());
                        }
                        try (InputStream in = res.getBody()) {
                            in.transferTo(out);
                        }
                        return null;
                    }));
    }

    /** A peer that refuses is, to tree building and content sync, a peer that cannot be used. */
    private static <T> T usable(String node, String what, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        }
        catch (PeerRejectedException e) {
            throw new PeerUnavailableException(node, what + " was refused: " + e.detail(), e);
        }
    }

    /** The last bandwidth measured to each node, bytes per second. */
    public java.util.Map<String, Double> lastBandwidths() {
        return java.util.Map.copyOf(lastBandwidth);
    }
}
