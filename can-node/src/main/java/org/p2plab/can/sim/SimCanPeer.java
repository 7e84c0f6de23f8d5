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
import org.p2plab.overlay.kv.DhtEntry;
import org.p2plab.overlay.sim.SimNetwork;
import org.p2plab.overlay.sim.SimPeer;

/**
 * The outbound calls of one simulated CAN node (see {@link SimPeer}).
 */
final class SimCanPeer extends SimPeer<CanNode> implements CanPeer {

    SimCanPeer(SimNetwork network, String from, Map<String, CanNode> nodes) {
        super(network, from, nodes);
    }

    @Override
    public StepReply step(NodeRef target, Point point) {
        return call(target, "step", n -> n.handleStep(point));
    }

    @Override
    public JoinReply join(NodeRef target, NodeRef joiner, Point point, boolean mayRedirect) {
        return call(target, "join", n -> n.handleJoin(joiner, point, mayRedirect));
    }

    @Override
    public Update update(NodeRef target, Update update) {
        return call(target, "update", n -> n.handleUpdate(update));
    }

    @Override
    public TakeoverReply takeover(NodeRef target, Takeover takeover) {
        return call(target, "takeover", n -> n.handleTakeover(takeover));
    }

    @Override
    public Update state(NodeRef target) {
        return call(target, "state", n -> n.handleState());
    }

    @Override
    public void handover(NodeRef target, Handover handover) {
        send(target, "handover", n -> n.handleHandover(handover));
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
    public void replicate(NodeRef target, List<DhtEntry> entries) {
        send(target, "replicate", n -> n.handleReplicate(entries));
    }
}
