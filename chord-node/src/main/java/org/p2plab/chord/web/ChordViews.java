package org.p2plab.chord.web;

import java.util.List;

import org.p2plab.chord.protocol.ChordNode.LookupResult;
import org.p2plab.overlay.NodeRef;

/** JSON views of the user API. */
public final class ChordViews {
    private ChordViews() {
    }

    public record NodeView(String id, String address) {
        public static NodeView of(NodeRef n) {
            return n == null ? null : new NodeView(n.id().toHex(), n.address());
        }
    }

    /** How a key was found: its owner, the path to the owner's predecessor and the hops along it. */
    public record LookupView(String key, String keyId, NodeView owner, int hops, List<NodeView> path, long micros,
            int timeouts) {
        public static LookupView of(String key, LookupResult r) {
            return new LookupView(key, r.id().toHex(), NodeView.of(r.owner()), r.hops(),
                    r.path().stream().map(NodeView::of).toList(), r.micros(), r.timeouts());
        }
    }

    public record PutView(String key, String keyId, NodeView owner, int hops, long version) {
    }

    public record FingerView(int index, String start, NodeView node) {
    }

    public record KeysView(int ownedCount, int replicatedCount, List<String> owned, List<String> replicated) {
    }

    public record RingView(String id, String address, String state, NodeView predecessor, List<NodeView> successors,
            List<FingerView> fingers, KeysView keys) {
    }

    public record JoinRequest(String bootstrap) {
    }

    public record JoinView(String state, NodeView successor) {
    }
}
