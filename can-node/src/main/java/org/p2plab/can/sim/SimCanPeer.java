package org.p2plab.can.sim;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.p2plab.can.protocol.CanNode;
import org.p2plab.can.protocol.CanPeer;
import org.p2plab.can.protocol.Messages.Handover;
import org.p2plab.can.protocol.Messages.JoinReply;
import org.p2plab.can.protocol.Messages.PutReply;
import org.p2plab.can.protocol.Messages.StepReply;
import org.p2plab.can.protocol.Messages.Takeover;
import org.p2plab.can.protocol.Messages.TakeoverReply;
import org.p2plab.can.protocol.Messages.Update;
import org.p2plab.can.protocol.Point;
import org.p2plab.overlay.NodeRef;
import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.overlay.kv.DhtEntry;
import org.p2plab.overlay.sim.SimNetwork;

/**
 * The outbound calls of one simulated CAN node: each is a {@link SimNetwork} call that lands on
 * the target's inbound handler, counted and delayed like a message.
 */
final class SimCanPeer implements CanPeer {

    private final SimNetwork network;
    private final String from;
    private final Map<String, CanNode> nodes;

    SimCanPeer(SimNetwork network, String from, Map<String, CanNode> nodes) {
        this.network = network;
        this.from = from;
        this.nodes = nodes;
    }

    private CanNode at(NodeRef target) {
        CanNode node = nodes.get(target.address());
        if (node == null) {
            throw new PeerUnavailableException(target.address(), "no such simulated node");
        }
        return node;
    }

    @Override
    public StepReply step(NodeRef target, Point point) {
        return network.call(from, target.address(), "step", () -> at(target).handleStep(point));
    }

    @Override
    public JoinReply join(NodeRef target, NodeRef joiner, Point point, boolean mayRedirect) {
        return network.call(from, target.address(), "join", () -> at(target).handleJoin(joiner, point, mayRedirect));
    }

    @Override
    public Update update(NodeRef target, Update update) {
        return network.call(from, target.address(), "update", () -> at(target).handleUpdate(update));
    }

    @Override
    public TakeoverReply takeover(NodeRef target, Takeover takeover) {
        return network.call(from, target.address(), "takeover", () -> at(target).handleTakeover(takeover));
    }

    @Override
    public Update state(NodeRef target) {
        return network.call(from, target.address(), "state", () -> at(target).handleState());
    }

    @Override
    public void handover(NodeRef target, Handover handover) {
        network.send(from, target.address(), "handover", () -> at(target).handleHandover(handover));
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
    public void replicate(NodeRef target, List<DhtEntry> entries) {
        network.send(from, target.address(), "replicate", () -> at(target).handleReplicate(entries));
    }
}
