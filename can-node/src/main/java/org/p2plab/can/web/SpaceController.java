package org.p2plab.can.web;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.p2plab.can.config.CanService;
import org.p2plab.can.protocol.CanNode;
import org.p2plab.can.protocol.Messages.NeighbourInfo;
import org.p2plab.can.web.CanViews.JoinRequest;
import org.p2plab.can.web.CanViews.KeysView;
import org.p2plab.can.web.CanViews.NodeView;
import org.p2plab.can.web.CanViews.SpaceView;
import org.p2plab.can.web.CanViews.StateView;
import org.p2plab.can.web.CanViews.ZoneInfoView;
import org.p2plab.can.web.CanViews.ZoneView;
import org.p2plab.support.dht.DhtRequests;
import org.p2plab.support.problem.ProblemException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** This node's zone, the space around it, and joining and leaving by hand. */
@RestController
@Tag(name = "user API")
public class SpaceController {

    static final int MAX_WALK = 4096;

    private final CanService can;

    public SpaceController(CanService can) {
        this.can = can;
    }

    @Operation(summary = "This node's zones and neighbours", description = "Its zones (one, or more after a takeover) as "
            + "fractions of the unit torus, its neighbours with their zones as last heard, the keys it owns and holds as "
            + "copies, and the dead neighbours whose takeover timers run.")
    @GetMapping("/zone")
    public ZoneInfoView zone() {
        CanNode n = can.node();
        return new ZoneInfoView(n.self().address(), can.state(), n.params().dimensions(), ZoneView.of(n.zones()), n.volume(),
                n.neighbours().stream().map(NodeView::of).toList(), new KeysView(n.ownedKeys(), n.storedKeys()),
                List.copyOf(n.pendingTakeovers()), n.takeovers());
    }

    @Operation(summary = "The whole partition, as far as walking neighbours reaches", description = "Breadth first from "
            + "this node, at most `limit` nodes (1-" + MAX_WALK + "), each with its zones: enough to draw the space. "
            + "`complete` says whether the zones found cover it.")
    @GetMapping("/space")
    public SpaceView space(@RequestParam(defaultValue = "256") int limit) {
        if (limit < 1 || limit > MAX_WALK) {
            throw ProblemException.badRequest("invalid-parameter", "limit must be in [1, " + MAX_WALK + "], got " + limit);
        }
        CanNode n = can.member();
        List<NeighbourInfo> nodes = n.walk(limit);
        double covered = nodes.stream().mapToDouble(NeighbourInfo::volume).sum();
        return new SpaceView(n.params().dimensions(), nodes.size(), covered, Math.abs(covered - 1) < 1e-9,
                nodes.stream().map(NodeView::of).toList());
    }

    @Operation(summary = "Join the space of another node", description = "Body {\"bootstrap\": \"http://host:port\"}: any "
            + "node of that space. This node gets half of a zone at a random point (and brings along the keys of a space "
            + "it had alone). 409 if it has neighbours already: leave first. 503 when the bootstrap does not answer.")
    @PostMapping("/space/join")
    public StateView join(@RequestBody JoinRequest request) {
        can.joinByHand(DhtRequests.requiredBootstrap(request == null ? null : request.bootstrap(), "space", "http://127.0.0.1:8087"));
        return state();
    }

    @Operation(summary = "Leave the space gracefully", description = "Hands this node's zones and keys to a neighbour (the "
            + "one they merge with, if any). The node is then outside any space until it joins again.")
    @PostMapping("/space/leave")
    public StateView leave() {
        can.leave();
        return state();
    }

    private StateView state() {
        CanNode n = can.node();
        return new StateView(can.state(), ZoneView.of(n.zones()), n.neighbours().size());
    }
}
