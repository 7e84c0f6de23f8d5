package org.p2plab.can.web;

import java.util.ArrayList;
import java.util.List;

import org.p2plab.can.protocol.CanNode;
import org.p2plab.can.protocol.Messages.NeighbourInfo;
import org.p2plab.can.protocol.Point;
import org.p2plab.can.protocol.Zone;
import org.p2plab.overlay.NodeRef;

/** What the CAN user API answers with: coordinates as fractions of the unit torus, for people. */
public final class CanViews {

    private CanViews() {
    }

    public record ZoneView(double[] lo, double[] hi, double volume) {
        public static ZoneView of(Zone z) {
            return new ZoneView(z.loFractions(), z.hiFractions(), z.volume());
        }

        static List<ZoneView> of(List<Zone> zones) {
            return zones.stream().map(ZoneView::of).toList();
        }
    }

    public record NodeView(String address, List<ZoneView> zones) {
        static NodeView of(NeighbourInfo n) {
            return new NodeView(n.node().address(), ZoneView.of(n.zones()));
        }
    }

    /** A lookup: the key, its point, its owner and the owner's zones, and the path from this node. */
    public record LookupView(String key, double[] point, String owner, List<ZoneView> zones, int hops, List<String> path) {
        static LookupView of(String key, NodeRef start, CanNode.LookupResult r) {
            return new LookupView(key, r.point().toFractions(), r.owner().address(), ZoneView.of(r.zones()), r.hops(), pathOf(start, r));
        }
    }

    public record PutView(String key, double[] point, String owner, int hops, long version) {
    }

    public record KeysView(int owned, int stored) {
    }

    /** GET /zone: this node's zones, neighbours and keys. */
    public record ZoneInfoView(String address, String state, int dimensions, List<ZoneView> zones, double volume,
            List<NodeView> neighbours, KeysView keys, List<String> pendingTakeovers, long takeovers) {
    }

    /** GET /space: the partition as far as walking neighbours reaches. */
    public record SpaceView(int dimensions, int nodes, double coveredVolume, boolean complete, List<NodeView> partition) {
    }

    public record JoinRequest(String bootstrap) {
    }

    public record StateView(String state, List<ZoneView> zones, int neighbours) {
    }

    /** The path as the X-P2P-Path header and the lookup view give it: this node, then every hop. */
    static List<String> pathOf(NodeRef start, CanNode.LookupResult r) {
        List<String> path = new ArrayList<>();
        path.add(start.address());
        r.path().forEach(n -> path.add(n.address()));
        return path;
    }

    static double[] point(Point p) {
        return p.toFractions();
    }
}
