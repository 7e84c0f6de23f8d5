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
import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.overlay.sim.SimNetwork;

/**
 * The outbound calls of one simulated Chord node: each is a {@link SimNetwork} call that lands
 * on the target node's inbound handler, counted and delayed like a message.
 */
final class SimChordPeer implements ChordPeer {

    private final SimNetwork network;
    private final String from;
    private final Map<String, ChordNode> nodes;

    SimChordPeer(SimNetwork network, String from, Map<String, ChordNode> nodes) {
        this.network = network;
        this.from = from;
        this.nodes = nodes;
    }

    private ChordNode at(NodeRef target) {
        ChordNode node = nodes.get(target.address());
        if (node == null) {
            throw new PeerUnavailableException(target.address(), "no such simulated node");
        }
        return node;
    }

    @Override
    public StepReply findSuccessorStep(NodeRef target, NodeId id) {
        return network.call(from, target.address(), "find_successor", () -> at(target).handleFindSuccessorStep(id));
    }

    @Override
    public NodeState state(NodeRef target) {
        return network.call(from, target.address(), "get_state", () -> at(target).handleState());
    }

    @Override
    public void notify(NodeRef target, NodeRef candidate) {
        network.send(from, target.address(), "notify", () -> at(target).handleNotify(candidate));
    }

    @Override
    public void ping(NodeRef target) {
        network.send(from, target.address(), "ping", () -> at(target));
    }

    @Override
    public PutReply put(NodeRef target, String key, byte[] value, String contentType) {
        return network.call(from, target.address(), "put", () -> at(target).handlePut(key, value, contentType));
    }

    @Override
    public Optional<DhtEntry> get(NodeRef target, String key) {
        return network.call(from, target.address(), "get", () -> at(target).handleGet(key));
    }

    @Override
    public boolean delete(NodeRef target, String key) {
        return network.call(from, target.address(), "delete", () -> at(target).handleDelete(key));
    }

    @Override
    public Optional<DhtEntry> fetchReplica(NodeRef target, String key) {
        return network.call(from, target.address(), "fetch_replica", () -> at(target).handleFetchReplica(key));
    }

    @Override
    public void replicate(NodeRef target, List<DhtEntry> entries) {
        network.send(from, target.address(), "replicate", () -> at(target).handleReplicate(entries));
    }

    @Override
    public SyncReply sync(NodeRef target, SyncRequest request) {
        return network.call(from, target.address(), "sync", () -> at(target).handleSync(request));
    }

    @Override
    public List<DhtEntry> transfer(NodeRef target, NodeRef joiner) {
        return network.call(from, target.address(), "transfer", () -> at(target).handleTransfer(joiner));
    }

    @Override
    public void leaving(NodeRef target, NodeRef leaver, NodeRef newPredecessor, List<NodeRef> newSuccessors) {
        network.send(from, target.address(), "leaving",
                () -> at(target).handleLeaving(leaver, newPredecessor, newSuccessors));
    }
}
