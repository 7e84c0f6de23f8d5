package org.p2plab.chord.protocol;

import java.util.List;
import java.util.Map;

import org.p2plab.overlay.NodeId;
import org.p2plab.overlay.NodeRef;
import org.p2plab.overlay.kv.DhtEntry;

/** The records Chord nodes exchange (the bodies of the /peer API). */
public final class Messages {
    private Messages() {
    }

    /**
     * A node's answer to one step of an iterative lookup for an identifier.
     *
     * @param done       true when the answering node is the identifier's predecessor (or its
     *                   owner): then {@code nodes} are the candidate owners in ring order, and the
     *                   owner is the first of them that is alive; false when {@code nodes} are next
     *                   hops, closest preceding the identifier first (try them in order, skipping
     *                   dead ones)
     * @param nodes      candidate owners or next hops
     * @param successors the answering node's successor list: when every next hop is dead, the
     *                   first live one of these at or past the identifier is its owner (the
     *                   paper's find_successor compares against the first live successor)
     */
    public record StepReply(boolean done, List<NodeRef> nodes, List<NodeRef> successors) {
        public StepReply {
            nodes = List.copyOf(nodes);
            successors = List.copyOf(successors);
        }
    }

    /** What stabilize learns from a node: its predecessor (may be null) and its successor list. */
    public record NodeState(NodeRef node, NodeRef predecessor, List<NodeRef> successors) {
        public NodeState {
            successors = List.copyOf(successors);
        }
    }

    /**
     * An owner's digest of its primary range (from, to]: every key it holds there with its version.
     */
    public record SyncRequest(NodeRef owner, NodeId from, NodeId to, Map<String, Long> versions) {
        public SyncRequest {
            versions = Map.copyOf(versions);
        }
    }

    /**
     * A replica's answer to a digest: keys it lacks or holds an older version of (the owner sends
     * them), and entries of the range it holds newer or the owner lacks (the owner takes them).
     */
    public record SyncReply(List<String> needed, List<DhtEntry> newer) {
        public SyncReply {
            needed = List.copyOf(needed);
            newer = List.copyOf(newer);
        }
    }

    /** The result of a put at the owner. */
    public record PutReply(boolean created, long version) {
    }
}
