package org.p2plab.chord.protocol;

import java.util.List;
import java.util.Optional;

import org.p2plab.chord.protocol.Messages.NodeState;
import org.p2plab.chord.protocol.Messages.PutReply;
import org.p2plab.chord.protocol.Messages.StepReply;
import org.p2plab.chord.protocol.Messages.SyncReply;
import org.p2plab.chord.protocol.Messages.SyncRequest;
import org.p2plab.overlay.NodeId;
import org.p2plab.overlay.NodeRef;
import org.p2plab.overlay.kv.DhtEntry;

/**
 * The calls one Chord node makes on another. Every method may throw
 * {@link org.p2plab.overlay.PeerUnavailableException} when the target does not answer; the
 * caller routes around it. Over HTTP in the service, direct calls in the simulator.
 */
public interface ChordPeer {

    /** One step of an iterative find_successor at {@code target}. */
    StepReply findSuccessorStep(NodeRef target, NodeId id);

    /** The target's predecessor and successor list (stabilize). */
    NodeState state(NodeRef target);

    /** "I think I might be your predecessor." */
    void notify(NodeRef target, NodeRef candidate);

    /** Liveness check (check_predecessor, owner verification). */
    void ping(NodeRef target);

    /** Put at the key's owner, which versions it and replicates it. */
    PutReply put(NodeRef target, String key, byte[] value, String contentType);

    /** Get at the key's owner, which repairs from replicas if it lacks the key. Empty when absent or deleted. */
    Optional<DhtEntry> get(NodeRef target, String key);

    /** Delete at the key's owner; false when the key was absent. */
    boolean delete(NodeRef target, String key);

    /** The target's own copy, as replica, tombstones included; no repair. */
    Optional<DhtEntry> fetchReplica(NodeRef target, String key);

    /** Store these entries as replicas (each kept only if newer). */
    void replicate(NodeRef target, List<DhtEntry> entries);

    /** An owner's digest to one of its replicas. */
    SyncReply sync(NodeRef target, SyncRequest request);

    /** A joining node asks its successor for the entries it now owns or should replicate. */
    List<DhtEntry> transfer(NodeRef target, NodeRef joiner);

    /**
     * A node leaving gracefully tells a neighbour: its successor gets {@code newPredecessor},
     * its predecessor gets {@code newSuccessors}.
     */
    void leaving(NodeRef target, NodeRef leaver, NodeRef newPredecessor, List<NodeRef> newSuccessors);
}
