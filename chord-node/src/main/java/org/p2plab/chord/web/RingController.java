package org.p2plab.chord.web;

import java.util.ArrayList;
import java.util.List;

import org.p2plab.chord.config.ChordService;
import org.p2plab.chord.protocol.ChordNode;
import org.p2plab.chord.web.ChordViews.FingerView;
import org.p2plab.chord.web.ChordViews.JoinRequest;
import org.p2plab.chord.web.ChordViews.JoinView;
import org.p2plab.chord.web.ChordViews.KeysView;
import org.p2plab.chord.web.ChordViews.NodeView;
import org.p2plab.chord.web.ChordViews.RingView;
import org.p2plab.overlay.NodeRef;
import org.p2plab.support.dht.DhtRequests;
import org.p2plab.support.problem.ProblemException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** This node's place in the ring: its view, and joining and leaving by hand. */
@RestController
@Tag(name = "user API")
public class RingController {

    private static final int KEY_LIST_LIMIT = 1000;
    private static final String EXAMPLE_URL = "http://127.0.0.1:8086";

    private final ChordService chord;

    public RingController(ChordService chord) {
        this.chord = chord;
    }

    @Operation(summary = "This node's view of the ring", description = "Id, address, predecessor, successor list, "
            + "the 160-entry finger table (start, node) and the keys stored as owner and as replica "
            + "(lists cut at keyLimit; the counts are exact).")
    @GetMapping("/ring")
    public RingView ring(@RequestParam(defaultValue = "100") int keyLimit) {
        if (keyLimit < 0 || keyLimit > KEY_LIST_LIMIT) {
            throw ProblemException.badRequest("invalid-parameter", "keyLimit must be in [0, " + KEY_LIST_LIMIT + "]");
        }
        ChordNode n = chord.node();
        List<NodeRef> fingers = n.fingers();
        List<FingerView> fingerViews = new ArrayList<>(fingers.size());
        for (int i = 0; i < fingers.size(); i++) {
            fingerViews.add(new FingerView(i, n.self().id().plusPowerOfTwo(i).toHex(), NodeView.of(fingers.get(i))));
        }
        ChordNode.StoredKeys keys = n.storedKeys();
        return new RingView(n.self().id().toHex(), n.self().address(), chord.joinState(),
                n.predecessor().map(NodeView::of).orElse(null),
                n.successorList().stream().map(NodeView::of).toList(), fingerViews,
                new KeysView(keys.owned().size(), keys.replicated().size(), head(keys.owned(), keyLimit),
                        head(keys.replicated(), keyLimit)));
    }

    @Operation(summary = "Join the ring of another node", description = "Body {\"bootstrap\": \"http://host:port\"}: "
            + "any node of that ring. 503 when it does not answer.")
    @PostMapping("/ring/join")
    public JoinView join(@RequestBody JoinRequest request) {
        String bootstrap = DhtRequests.requiredBootstrap(request == null ? null : request.bootstrap(), "ring", EXAMPLE_URL);
        NodeRef successor = chord.joinByHand(bootstrap);
        return new JoinView(chord.joinState(), NodeView.of(successor));
    }

    @Operation(summary = "Leave the ring gracefully", description = "Hands this node's keys to its successor and "
            + "tells its neighbours; the node is then a ring of its own.")
    @PostMapping("/ring/leave")
    public JoinView leave() {
        chord.leave();
        return new JoinView(chord.joinState(), NodeView.of(chord.node().successor()));
    }

    private static List<String> head(List<String> keys, int limit) {
        return keys.size() <= limit ? keys : keys.subList(0, limit);
    }
}
