package org.p2plab.chord.transport;

import java.util.List;

import org.p2plab.chord.config.ChordService;
import org.p2plab.chord.protocol.ChordNode;
import org.p2plab.support.dht.KvDtos.DeleteReplyDto;
import org.p2plab.support.dht.KvDtos.EntryDto;
import org.p2plab.chord.transport.PeerDtos.IdRequest;
import org.p2plab.support.dht.KvDtos.KeyRequest;
import org.p2plab.chord.transport.PeerDtos.LeavingRequest;
import org.p2plab.chord.transport.PeerDtos.NotifyRequest;
import org.p2plab.support.dht.KvDtos.PutReplyDto;
import org.p2plab.support.dht.KvDtos.PutRequest;
import org.p2plab.chord.transport.PeerDtos.StateDto;
import org.p2plab.chord.transport.PeerDtos.StepDto;
import org.p2plab.chord.transport.PeerDtos.SyncReplyDto;
import org.p2plab.chord.transport.PeerDtos.SyncRequestDto;
import org.p2plab.chord.transport.PeerDtos.TransferRequest;
import org.p2plab.overlay.NodeId;
import org.p2plab.support.metrics.P2pMetrics;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

/** The server side of {@link HttpChordPeer}: what Chord nodes call on each other. */
@RestController
@RequestMapping("/peer")
@Tag(name = "peer API", description = "Chord node-to-node protocol (called by other nodes, not by people)")
public class PeerController {

    private final ChordService chord;
    private final P2pMetrics metrics;

    public PeerController(ChordService chord, P2pMetrics metrics) {
        this.chord = chord;
        this.metrics = metrics;
    }

    private ChordNode node(String type) {
        metrics.message(HttpChordPeer.SYSTEM, type, P2pMetrics.IN);
        return chord.node();
    }

    @Operation(summary = "One step of an iterative find_successor")
    @PostMapping("/find-successor")
    public StepDto findSuccessor(@Valid @RequestBody IdRequest request) {
        return StepDto.of(node("find_successor").handleFindSuccessorStep(NodeId.parse(request.id())));
    }

    @Operation(summary = "Predecessor and successor list (stabilize)")
    @GetMapping("/state")
    public StateDto state() {
        return StateDto.of(node("get_state").handleState());
    }

    @Operation(summary = "The caller thinks it might be our predecessor")
    @PostMapping("/notify")
    public ResponseEntity<Void> notify(@Valid @RequestBody NotifyRequest request) {
        node("notify").handleNotify(request.candidate().toRef());
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Liveness check")
    @GetMapping("/ping")
    public ResponseEntity<Void> ping() {
        node("ping");
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Put at the key's owner (versions and replicates it)")
    @PostMapping("/kv/put")
    public PutReplyDto put(@Valid @RequestBody PutRequest request) {
        var reply = node("put").handlePut(request.key(), request.value(), request.contentType());
        return new PutReplyDto(reply.created(), reply.version());
    }

    @Operation(summary = "Get at the key's owner (204 when absent)")
    @PostMapping("/kv/get")
    public ResponseEntity<EntryDto> get(@Valid @RequestBody KeyRequest request) {
        return node("get").handleGet(request.key()).map(e -> ResponseEntity.ok(EntryDto.of(e)))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @Operation(summary = "Delete at the key's owner")
    @PostMapping("/kv/delete")
    public DeleteReplyDto delete(@Valid @RequestBody KeyRequest request) {
        return new DeleteReplyDto(node("delete").handleDelete(request.key()));
    }

    @Operation(summary = "This node's own copy of a key, tombstones included (204 when absent)")
    @PostMapping("/kv/fetch-replica")
    public ResponseEntity<EntryDto> fetchReplica(@Valid @RequestBody KeyRequest request) {
        return node("fetch_replica").handleFetchReplica(request.key()).map(e -> ResponseEntity.ok(EntryDto.of(e)))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @Operation(summary = "Store entries as replicas")
    @PostMapping("/kv/replicate")
    public ResponseEntity<Void> replicate(@RequestBody List<@Valid EntryDto> entries) {
        node("replicate").handleReplicate(entries.stream().map(EntryDto::toEntry).toList());
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "An owner's digest of its range")
    @PostMapping("/kv/sync")
    public SyncReplyDto sync(@Valid @RequestBody SyncRequestDto request) {
        return SyncReplyDto.of(node("sync").handleSync(request.toRequest()));
    }

    @Operation(summary = "A joining node takes the entries it now owns")
    @PostMapping("/transfer")
    public List<EntryDto> transfer(@Valid @RequestBody TransferRequest request) {
        return node("transfer").handleTransfer(request.joiner().toRef()).stream().map(EntryDto::of).toList();
    }

    @Operation(summary = "A neighbour leaves gracefully")
    @PostMapping("/leaving")
    public ResponseEntity<Void> leaving(@Valid @RequestBody LeavingRequest request) {
        node("leaving").handleLeaving(request.leaver().toRef(),
                request.newPredecessor() == null ? null : request.newPredecessor().toRef(),
                PeerDtos.refs(request.newSuccessors()));
        return ResponseEntity.noContent().build();
    }
}
