package org.p2plab.overlay.sim;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import org.p2plab.overlay.NodeRef;
import org.p2plab.overlay.PeerUnavailableException;

/**
 * The base of a protocol's simulated peer interface: the outbound calls of one simulated node,
 * each a {@link SimNetwork} call that lands on the target node's inbound handler, counted and
 * delayed like a message. An unknown target does not answer.
 *
 * @param <N> the protocol's node class
 */
public abstract class SimPeer<N> {

    private final SimNetwork network;
    private final String from;
    private final Map<String, N> nodes;

    /** @param nodes every simulated node of the protocol, by address (the map is read at each call) */
    protected SimPeer(SimNetwork network, String from, Map<String, N> nodes) {
        this.network = network;
        this.from = from;
        this.nodes = nodes;
    }

    private N at(NodeRef target) {
        N node = nodes.get(target.address());
        if (node == null) {
            throw new PeerUnavailableException(target.address(), "no such simulated node");
        }
        return node;
    }

    /** A request of this type to the target, whose handler's result is the reply. */
    protected <R> R call(NodeRef target, String type, Function<N, R> handler) {
        return network.call(from, target.address(), type, () -> handler.apply(at(target)));
    }

    /** A request without a reply value. */
    protected void send(NodeRef target, String type, Consumer<N> handler) {
        network.send(from, target.address(), type, () -> handler.accept(at(target)));
    }
}
