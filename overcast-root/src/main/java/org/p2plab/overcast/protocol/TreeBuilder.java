package org.p2plab.overcast.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.p2plab.overlay.PeerUnavailableException;

/**
 * A node's tree building (Overcast, OSDI 2000, §4.2), one round at a time: measure the
 * bandwidth to the current parent, to each of its other children and to the grandparent, and
 * move under the one that {@link Placement} picks (down under a sibling, or up under the
 * grandparent). Starting under the root, repeated rounds take a node down the
 * tree as far as bandwidth allows; once settled, the same round run on a longer period
 * re-evaluates its place. A parent that does not answer is replaced by the nearest live
 * ancestor. Plain Java: what it measures comes through {@link View}.
 */
public final class TreeBuilder {

    /** What a node can find out, from where it is. Any call may throw {@link PeerUnavailableException}. */
    public interface View {
        /** The bandwidth from {@code node} to this node, in bytes per second (a timed probe download). */
        double bandwidth(String node);

        /** How far {@code node} is, in hops (traceroute, or a configured count). */
        int hops(String node);

        /** The children {@code node} has now. */
        List<String> children(String node);
    }

    /** What a round did. */
    public record Round(String parentBefore, String parentAfter, List<Placement.Measured> measured, boolean moved,
                       boolean rejoined) {
    }

    private final UpDown node;
    private final double tolerance;

    public TreeBuilder(UpDown node, double tolerance) {
        this.node = node;
        this.tolerance = tolerance;
    }

    /** One round. */
    public Round round(View view) {
        return round(view, false);
    }

    /**
     * One round; a {@code pinned} node (a linear root) never moves for bandwidth, it only rejoins
     * when its parent fails.
     */
    public Round round(View view, boolean pinned) {
        String parent = node.parent();
        if (parent == null) {
            return new Round(null, null, List.of(), false, false); // the root stays the root
        }
        if (node.parentFailed()) {
            return rejoin(parent, view); // its check-in failed: as in the paper, rejoin at the nearest live ancestor
        }
        if (pinned) {
            return new Round(parent, parent, List.of(), false, false);
        }
        Placement.Measured current;
        List<String> siblings;
        try {
            current = new Placement.Measured(parent, view.bandwidth(parent), view.hops(parent));
            siblings = view.children(parent);
        }
        catch (PeerUnavailableException e) {
            return rejoin(parent, view);
        }
        List<Placement.Measured> measured = new ArrayList<>();
        measured.add(current);
        java.util.Set<String> below = new java.util.HashSet<>();
        node.subtree(node.self()).forEach(e -> below.add(e.node()));
        for (String s : siblings) {
            if (s.equals(node.self()) || below.contains(s)) {
                continue; // never under itself or its own descendant (one that just moved below it may still look like a sibling)
            }
            try {
                measured.add(new Placement.Measured(s, view.bandwidth(s), view.hops(s)));
            }
            catch (PeerUnavailableException e) {
                // a sibling that does not answer is no candidate
            }
        }
        // re-evaluation also measures the grandparent (§4.2): a node whose parent slowed down can move up
        List<String> ancestors = node.ancestors();
        if (ancestors.size() >= 2 && ancestors.getLast().equals(parent)) {
            String grandparent = ancestors.get(ancestors.size() - 2);
            if (!grandparent.equals(node.self()) && !below.contains(grandparent)) {
                try {
                    measured.add(new Placement.Measured(grandparent, view.bandwidth(grandparent), view.hops(grandparent)));
                }
                catch (PeerUnavailableException e) {
                    // not a candidate this round
                }
            }
        }
        Optional<Placement.Measured> better = Placement.choose(current, measured.subList(1, measured.size()), tolerance);
        better.ifPresent(b -> node.newParent(b.node()));
        return new Round(parent, node.parent(), List.copyOf(measured), better.isPresent(), false);
    }

    /**
     * The parent is gone: the nearest ancestor that answers becomes the parent (never the node
     * itself or one below it, which a list from inside a loop may name).
     */
    private Round rejoin(String deadParent, View view) {
        List<String> ancestors = new ArrayList<>(node.ancestors());
        int self = ancestors.indexOf(node.self());
        if (self >= 0) {
            ancestors = new ArrayList<>(ancestors.subList(0, self));
        }
        ancestors.removeIf(a -> a.equals(deadParent));
        for (int i = ancestors.size() - 1; i >= 0; i--) {
            String a = ancestors.get(i);
            try {
                view.bandwidth(a);
                node.newParent(a);
                return new Round(deadParent, a, List.of(), true, true);
            }
            catch (PeerUnavailableException e) {
                // try the next one up
            }
        }
        return new Round(deadParent, deadParent, List.of(), false, false); // nobody answers: try again next round
    }
}
