package org.p2plab.can.transport;

import java.util.List;
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
import org.p2plab.can.transport.PeerDtos.HandoverDto;
import org.p2plab.can.transport.PeerDtos.JoinReplyDto;
import org.p2plab.can.transport.PeerDtos.JoinRequest;
import org.p2plab.can.transport.PeerDtos.NodeDto;
import org.p2plab.can.transport.PeerDtos.PointDto;
import org.p2plab.can.transport.PeerDtos.StepDto;
import org.p2plab.can.transport.PeerDtos.StepRequest;
import org.p2plab.can.transport.PeerDtos.TakeoverDto;
import org.p2plab.can.transport.PeerDtos.TakeoverReplyDto;
import org.p2plab.can.transport.PeerDtos.UpdateDto;
import org.p2plab.overlay.NodeRef;
import org.p2plab.overlay.kv.DhtEntry;
import org.p2plab.support.dht.KvDtos.DeleteReplyDto;
import org.p2plab.support.dht.KvDtos.EntryDto;
import org.p2plab.support.dht.KvDtos.KeyRequest;
import org.p2plab.support.dht.KvDtos.PutReplyDto;
import org.p2plab.support.dht.KvDtos.PutRequest;
import org.p2plab.support.http.PeerClient;
import org.p2plab.support.http.PeerRejectedException;
import org.p2plab.support.metrics.P2pMetrics;
import org.springframework.web.client.RestClient;

/** {@link CanPeer} over HTTP: each call is a request to the target's /peer API. */
public class HttpCanPeer implements CanPeer {

    static final String SYSTEM = "can";
    /** The problem kind a node answers with when asked about a point it does not own. */
    static final String NOT_OWNER = "not-owner";

    private final PeerClient peers;

    public HttpCanPeer(RestClient client, P2pMetrics metrics) {
        this.peers = new PeerClient(client, metrics, SYSTEM);
    }

    private <T> T post(NodeRef target, String type, String path, Object body, Class<T> reply) {
        try {
            return peers.post(target.address(), type, path, body, reply);
        }
        catch (PeerRejectedException e) {
            if (e.kind().filter(NOT_OWNER::equals).isPresent()) {
                throw new CanNode.NotOwnerException(e.getMessage());
            }
            throw e;
        }
    }

    @Override
    public StepReply step(NodeRef target, Point point) {
        return post(target, "step", "/peer/step", new StepRequest(PointDto.of(point)), StepDto.class).toReply();
    }

    @Override
    public JoinReply join(NodeRef target, NodeRef joiner, Point point, boolean mayRedirect) {
        return post(target, "join", "/peer/join", new JoinRequest(NodeDto.of(joiner), PointDto.of(point), mayRedirect),
                JoinReplyDto.class).toReply();
    }

    @Override
    public Update update(NodeRef target, Update update) {
        return post(target, "update", "/peer/update", UpdateDto.of(update), UpdateDto.class).toUpdate();
    }

    @Override
    public TakeoverReply takeover(NodeRef target, Takeover takeover) {
        return post(target, "takeover", "/peer/takeover", TakeoverDto.of(takeover), TakeoverReplyDto.class).toReply();
    }

    @Override
    public Update state(NodeRef target) {
        return peers.get(target.address(), "state", "/peer/state", UpdateDto.class).toUpdate();
    }

    @Override
    public void handover(NodeRef target, Handover handover) {
        post(target, "handover", "/peer/handover", HandoverDto.of(handover), Void.class);
    }

    @Override
    public PutReply put(NodeRef target, String key, byte[] value, String contentType) {
        PutReplyDto r = post(target, "put", "/peer/kv/put", new PutRequest(key, value, contentType), PutReplyDto.class);
        return new PutReply(r.created(), r.version());
    }

    @Override
    public Optional<DhtEntry> get(NodeRef target, String key) {
        // 204 No Content (absent) reads as a null body
        return Optional.ofNullable(post(target, "get", "/peer/kv/get", new KeyRequest(key), EntryDto.class)).map(EntryDto::toEntry);
    }

    @Override
    public boolean delete(NodeRef target, String key) {
        return post(target, "delete", "/peer/kv/delete", new KeyRequest(key), DeleteReplyDto.class).existed();
    }

    @Override
    public void replicate(NodeRef target, List<DhtEntry> entries) {
        post(target, "replicate", "/peer/kv/replicate", entries.stream().map(EntryDto::of).toList(), Void.class);
    }
}
