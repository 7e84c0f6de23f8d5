package org.p2plab.can.protocol;

import java.util.List;

import org.p2plab.overlay.NodeRef;
import org.p2plab.overlay.kv.DhtEntry;

/** What CAN nodes say to each other (the transport maps these to and from its wire format). */
public final class Messages {

    private Messages() {
    }

    /** A node and the zones it owns (usually one; more after it took over a neighbour's). */
    public record NeighbourInfo(NodeRef node, List<Zone> zones) {
        public NeighbourInfo {
            zones = List.copyOf(zones);
        }

        /** Torus distance squared from the point to the nearest of the zones. */
        public double distanceSquared(Point p) {
            double best = Double.MAX_VALUE;
            for (Zone z : zones) {
                best = Math.min(best, z.distanceSquared(p));
            }
            return best;
        }

        public boolean owns(Point p) {
            return zones.stream().anyMatch(z -> z.contains(p));
        }

        public double volume() {
            return zones.stream().mapToDouble(Zone::volume).sum();
        }
    }

    /**
     * One routing step at a node: either it owns the point (its zones), or its neighbours, the
     * one whose zone is closest to the point first (greedy forwarding, with the rest to route
     * around a neighbour that does not answer).
     */
    public record StepReply(boolean owner, List<Zone> zones, List<NeighbourInfo> next) {
        public StepReply {
            zones = List.copyOf(zones);
            next = List.copyOf(next);
        }
    }

    /** What the owner says to a put: whether the key is new, and the version it got. */
    public record PutReply(boolean created, long version) {
    }

    /** The owner's answer to a join: with GRANTED, the entries whose points now lie in the joiner's zone. */
    public record JoinReply(Outcome outcome, List<Zone> zones, List<NeighbourInfo> candidates, NeighbourInfo redirect,
            List<DhtEntry> entries) {
        public enum Outcome {
            /** {@code zones} are the joiner's now; {@code candidates} are who may be its neighbours. */
            GRANTED,
            /** Uniform partitioning: ask {@code redirect}, whose zone is the largest around, to split. */
            REDIRECT,
            /** The target does not own the point (any more): look it up again. */
            NOT_OWNER
        }

        public JoinReply {
            zones = List.copyOf(zones);
            candidates = List.copyOf(candidates);
            entries = entries == null ? List.of() : List.copyOf(entries);
        }
    }

    /** The periodic (and on-change) update a node sends each neighbour. */
    public record Update(NodeRef from, List<Zone> zones, List<NeighbourInfo> neighbours) {
        public Update {
            zones = List.copyOf(zones);
            neighbours = List.copyOf(neighbours);
        }
    }

    /**
     * "I take over {@code dead}'s zones": sent to the dead node's neighbours by the neighbour whose
     * takeover timer fired first, with the volume it had before (a smaller claim wins a tie).
     * A graceful leave hands over with volume 0, which no claim beats.
     */
    public record Takeover(NodeRef from, List<Zone> fromZones, NodeRef dead, List<Zone> deadZones, double volume) {
        public Takeover {
            fromZones = List.copyOf(fromZones);
            deadZones = List.copyOf(deadZones);
        }
    }

    /** Accepted (with the replier's zones, for the taker's neighbour set), or rejected by a better claim. */
    public record TakeoverReply(boolean accepted, NeighbourInfo replier) {
    }

    /** A node leaving gracefully gives its zones and its neighbour list to one neighbour. */
    public record Handover(NodeRef from, List<Zone> zones, List<NeighbourInfo> neighbours) {
        public Handover {
            zones = List.copyOf(zones);
            neighbours = List.copyOf(neighbours);
        }
    }
}
