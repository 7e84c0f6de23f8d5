package org.p2plab.chord.transport;

import java.util.List;
import java.util.Optional;

import org.p2plab.chord.protocol.ChordPeer;
import org.p2plab.overlay.kv.DhtEntry;
import org.p2plab.chord.protocol.Messages.NodeState;
import org.p2plab.chord.protocol.Messages.PutReply;
import org.p2plab.chord.protocol.Messages.StepReply;
import org.p2plab.chord.protocol.Messages.SyncReply;
import org.p2plab.chord.protocol.Messages.SyncRequest;
import org.p2plab.support.dht.KvDtos.DeleteReplyDto;
import org.p2plab.support.dht.KvDtos.EntryDto;
import org.p2plab.chord.transport.PeerDtos.IdRequest;
import org.p2plab.support.dht.KvDtos.KeyRequest;
import org.p2plab.chord.transport.PeerDtos.LeavingRequest;
import org.p2plab.chord.transport.PeerDtos.NodeDto;
import org.p2plab.chord.transport.PeerDtos.NotifyRequest;
import org.p2plab.support.dht.KvDtos.PutReplyDto;
import org.p2plab.support.dht.KvDtos.PutRequest;
import org.p2plab.chord.transport.PeerDtos.StateDto;
import org.p2plab.chord.transport.PeerDtos.StepDto;
import org.p2plab.chord.transport.PeerDtos.SyncReplyDto;
import org.p2plab.chord.transport.PeerDtos.SyncRequestDto;
import org.p2plab.chord.transport.PeerDtos.TransferRequest;
import org.p2plab.overlay.NodeId;
import org.p2plab.overlay.NodeRef;
import org.p2plab.support.http.PeerClient;
import org.p2plab.support.metrics.P2pMetrics;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

/** {@link ChordPeer} over HTTP: each call is a request to the target's /peer API. */
public class HttpChordPeer implements ChordPeer {

    static final String SYSTEM = "chord";

    private final PeerClient peers;

    public HttpChordPeer(RestClient client, P2pMetrics metrics) {
        this.peers = new PeerClient(client, metrics, SYSTEM);
    }

    private <T> T post(NodeRef target, String type, String path, Object body, Class<T> reply) {
        return peers.post(target.address(), type, path, body, reply);
    }

    @Override
    public StepReply findSuccessorStep(NodeRef target, NodeId id) {
        return post(target, "find_successor", "/peer/find-successor", new IdRequest(id.toHex()), StepDto.class).toReply();
    }

    @Override
    public NodeState state(NodeRef target) {
        return peers.get(target.address(), "get_state", "/peer/state", StateDto.class).toState();
    }

    @Override
    public void notify(NodeRef target, NodeRef candidate) {
        post(target, "notify", "/peer/notify", new NotifyRequest(NodeDto.of(candidate)), Void.class);
    }

    @Override
    public void ping(NodeRef target) {
        peers.get(target.address(), "ping", "/peer/ping", Void.class);
    }

    @Override
    public PutReply put(NodeRef target, String key, byte[] value, String contentType) {
        PutReplyDto r = post(target, "put", "/peer/kv/put", new PutRequest(key, value, contentType), PutReplyDto.class);
        return new PutReply(r.created(), r.version());
    }

    @Override
    public Optional<DhtEntry> get(NodeRef target, String key) {
        return optionalEntry(target, "get", "/peer/kv/get", key);
    }

    @Override
    public boolean delete(NodeRef target, String key) {
        return post(target, "delete", "/peer/kv/delete", new KeyRequest(key), DeleteReplyDto.class).existed();
    }

    @Override
    public Optional<DhtEntry> fetchReplica(NodeRef target, String key) {
        return optionalEntry(target, "fetch_replica", "/peer/kv/fetch-replica", key);
    }

    private Optional<DhtEntry> optionalEntry(NodeRef target, String type, String path, String key) {
        // 204 No Content (absent) reads as a null body
        EntryDto dto = post(target, type, path, new KeyRequest(key), EntryDto.class);
        return Optional.ofNullable(dto).map(EntryDto::toEntry);
    }

    @Override
    public void replicate(NodeRef target, List<DhtEntry> entries) {
        post(target, "replicate", "/peer/kv/replicate", entries.stream().map(EntryDto::of).toList(), Void.class);
    }

    @Override
    public SyncReply sync(NodeRef target, SyncRequest request) {
        return post(target, "sync", "/peer/kv/sync", SyncRequestDto.of(request), SyncReplyDto.class).toReply();
    }

    @Override
    public List<DhtEntry> transfer(NodeRef target, NodeRef joiner) {
        List<EntryDto> dtos = peers.post(target.address(), "transfer", "/peer/transfer", new TransferRequest(NodeDto.of(joiner)),
                new ParameterizedTypeReference<List<EntryDto>>() { });
        return dtos == null ? List.of() : dtos.stream().map(EntryDto::toEntry).toList();
    }

    @Override
    public void leaving(NodeRef target, NodeRef leaver, NodeRef newPredecessor, List<NodeRef> newSuccessors) {
        post(target, "leaving", "/peer/leaving", new LeavingRequest(NodeDto.of(leaver), NodeDto.of(newPredecessor),
                PeerDtos.nodes(newSuccessors)), Void.class);
    }
}
