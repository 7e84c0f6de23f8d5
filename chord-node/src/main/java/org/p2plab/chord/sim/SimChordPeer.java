package org.p2plab.chord.sim;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.p2plab.chord.protocol.ChordNode;
import org.p2plab.chord.protocol.ChordPeer;
import org.p2plab.overlay.kv.DhtEntry;
import org.p2plab.chord.protocol.Messages.NodeState;
import org.p2plab.chord.protocol.Messages.PutReply;
import org.p2plab.chord.protocol.Messages.StepReply;
import org.p2plab.chord.protocol.Messages.SyncReply;
import org.p2plab.chord.protocol.Messages.SyncRequest;
import org.p2plab.overlay.NodeId;
import org.p2plab.overlay.NodeRef;
import org.p2plab.overlay.sim.SimNetwork;
import org.p2plab.overlay.sim.SimPeer;

/**
 * The outbound calls of one simulated Chord node (see {@link SimPeer}).
 */
final class SimChordPeer extends SimPeer<ChordNode> implements ChordPeer {

    SimChordPeer(SimNetwork network, String from, Map<String, ChordNode> nodes) {
        super(network, from, nodes);
    }

    @Override
    public StepReply findSuccessorStep(NodeRef target, NodeId id) {
        return call(target, "find_successor", n -> n.handleFindSuccessorStep(id));
    }

    @Override
    public NodeState state(NodeRef target) {
        return call(target, "get_state", n -> n.handleState());
    }

    @Override
    public void notify(NodeRef target, NodeRef candidate) {
        send(target, "notify", n -> n.handleNotify(candidate));
    }

    @Override
    public void ping(NodeRef target) {
        send(target, "ping", n -> { });
    }

    @Override
    public PutReply put(NodeRef target, String key, byte[] value, String contentType) {
        return call(target, "put", n -> n.handlePut(key, value, contentType));
    }

    @Override
    public Optional<DhtEntry> get(NodeRef target, String key) {
        return call(target, "get", n -> n.handleGet(key));
    }

    @Override
    public boolean delete(NodeRef target, String key) {
        return call(target, "delete", n -> n.handleDelete(key));
    }

    @Override
    public Optional<DhtEntry> fetchReplica(NodeRef target, String key) {
        return call(target, "fetch_replica", n -> n.handleFetchReplica(key));
    }

    @Override
    public void replicate(NodeRef target, List<DhtEntry> entries) {
        send(target, "replicate", n -> n.handleReplicate(entries));
    }

    @Override
    public SyncReply sync(NodeRef target, SyncRequest request) {
        return call(target, "sync", n -> n.handleSync(request));
    }

    @Override
    public List<DhtEntry> transfer(NodeRef target, NodeRef joiner) {
        return call(target, "transfer", n -> n.handleTransfer(joiner));
    }

    @Override
    public void leaving(NodeRef target, NodeRef leaver, NodeRef newPredecessor, List<NodeRef> newSuccessors) {
        send(target, "leaving", n -> n.handleLeaving(leaver, newPredecessor, newSuccessors));
    }
}
