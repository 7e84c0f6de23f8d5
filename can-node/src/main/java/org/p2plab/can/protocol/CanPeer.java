package org.p2plab.can.protocol;

import org.p2plab.can.protocol.Messages.Handover;
import java.util.List;
import java.util.Optional;

import org.p2plab.can.protocol.Messages.JoinReply;
import org.p2plab.can.protocol.Messages.PutReply;
import org.p2plab.can.protocol.Messages.StepReply;
import org.p2plab.can.protocol.Messages.Takeover;
import org.p2plab.can.protocol.Messages.TakeoverReply;
import org.p2plab.can.protocol.Messages.Update;
import org.p2plab.overlay.NodeRef;
import org.p2plab.overlay.kv.DhtEntry;

/**
 * The calls one CAN node makes on another. Every method may throw
 * {@link org.p2plab.overlay.PeerUnavailableException} when the target does not answer; the
 * caller routes around it. Over HTTP in the service, direct calls in the simulator.
 */
public interface CanPeer {

    /** One greedy routing step at {@code target} towards the point. */
    StepReply step(NodeRef target, Point point);

    /** Ask the owner of {@code point} for a zone for {@code joiner}. */
    JoinReply join(NodeRef target, NodeRef joiner, Point point, boolean mayRedirect);

    /** A neighbour's zones and neighbour list; the reply is the target's own (its zones and neighbours). */
    Update update(NodeRef target, Update update);

    /** A takeover claim for a dead neighbour's zones. */
    TakeoverReply takeover(NodeRef target, Takeover takeover);

    /** The target's zones and neighbours, without side effects (walking the space). */
    Update state(NodeRef target);

    /** A graceful leave: the target gets the leaver's zones (and holds their entries as replicas already). */
    void handover(NodeRef target, Handover handover);

    /**
     * Put at the point's owner, which versions the entry and copies it to its neighbours.
     *
     * @throws CanNode.NotOwnerException when the target does not own the key's point (any more)
     */
    PutReply put(NodeRef target, String key, byte[] value, String contentType);

    /** Get at the point's owner: empty when absent or deleted. */
    Optional<DhtEntry> get(NodeRef target, String key);

    /** Delete at the point's owner; false when the key was absent. */
    boolean delete(NodeRef target, String key);

    /** Store these entries as copies (each kept only if newer than what the target has). */
    void replicate(NodeRef target, List<DhtEntry> entries);
}
