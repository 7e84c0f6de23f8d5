package org.p2plab.support.http;

import java.util.function.Function;

import org.p2plab.support.metrics.P2pMetrics;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

/**
 * One protocol's calls to other nodes' /peer APIs: each is counted as an outbound
 * {@code p2p.messages} of its type and made through {@link PeerCalls} (so a peer that does not
 * answer is a {@link org.p2plab.overlay.PeerUnavailableException}, one that refuses a
 * {@link PeerRejectedException}). Every service's HTTP peer implementation is built on one.
 */
public final class PeerClient {

    private final RestClient client;
    private final P2pMetrics metrics;
    private final String system;

    /** @param client the {@code peerRestClient} */
    public PeerClient(RestClient client, P2pMetrics metrics, String system) {
        this.client = client;
        this.metrics = metrics;
        this.system = system;
    }

    /** POST {@code body} as JSON to {@code address + path}; the reply body (null for 204 or Void). */
    public <T> T post(String address, String type, String path, Object body, Class<T> reply) {
        metrics.message(system, type, P2pMetrics.OUT);
        return PeerCalls.call(address, () -> client.post().uri(address + path).body(body).retrieve().body(reply));
    }

    /** POST with a generic reply type, e.g. a list. */
    public <T> T post(String address, String type, String path, Object body, ParameterizedTypeReference<T> reply) {
        metrics.message(system, type, P2pMetrics.OUT);
        return PeerCalls.call(address, () -> client.post().uri(address + path).body(body).retrieve().body(reply));
    }

    /**
     * Any other request (raw bodies, headers, other methods), built on the client: counted and
     * translated like the others, e.g.
     * {@code peers.call(addr, "fetch", c -> c.get().uri(addr + "/peer/x").retrieve().body(byte[].class))}.
     */
    public <T> T call(String address, String type, Function<RestClient, T> call) {
        metrics.message(system, type, P2pMetrics.OUT);
        return PeerCalls.call(address, () -> call.apply(client));
    }

    /** GET {@code address + path}; the reply body (null for 204 or Void). */
    public <T> T get(String address, String type, String path, Class<T> reply) {
        metrics.message(system, type, P2pMetrics.OUT);
        return PeerCalls.call(address, () -> client.get().uri(address + path).retrieve().body(reply));
    }
}
