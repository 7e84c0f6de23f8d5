package org.p2plab.can.transport;

import java.util.List;
import java.util.function.Supplier;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.p2plab.can.config.CanService;
import org.p2plab.can.protocol.CanNode;
import org.p2plab.can.transport.PeerDtos.HandoverDto;
import org.p2plab.can.transport.PeerDtos.JoinReplyDto;
import org.p2plab.can.transport.PeerDtos.JoinRequest;
import org.p2plab.can.transport.PeerDtos.StepDto;
import org.p2plab.can.transport.PeerDtos.StepRequest;
import org.p2plab.can.transport.PeerDtos.TakeoverDto;
import org.p2plab.can.transport.PeerDtos.TakeoverReplyDto;
import org.p2plab.can.transport.PeerDtos.UpdateDto;
import org.p2plab.support.dht.KvDtos.DeleteReplyDto;
import org.p2plab.support.dht.KvDtos.EntryDto;
import org.p2plab.support.dht.KvDtos.KeyRequest;
import org.p2plab.support.dht.KvDtos.PutReplyDto;
import org.p2plab.support.dht.KvDtos.PutRequest;
import org.p2plab.support.metrics.P2pMetrics;
import org.p2plab.support.problem.ProblemException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The server side of {@link HttpCanPeer}: what CAN nodes call on each other. */
@RestController
@RequestMapping("/peer")
@Tag(name = "peer API", description = "CAN node-to-node protocol (called by other nodes, not by people)")
public class PeerController {

    private final CanService can;
    private final P2pMetrics metrics;

    public PeerController(CanService can, P2pMetrics metrics) {
        this.can = can;
        this.metrics = metrics;
    }

    private CanNode node(String type) {
        metrics.message(HttpCanPeer.SYSTEM, type, P2pMetrics.IN);
        return can.node();
    }

    /** A point this node does not own: 409 not-owner, which the caller's HttpCanPeer turns back into NotOwnerException. */
    private static <T> T owned(Supplier<T> call) {
        try {
            return call.get();
        }
        catch (CanNode.NotOwnerException e) {
            throw ProblemException.conflict(HttpCanPeer.NOT_OWNER, e.getMessage());
        }
    }

    @Operation(summary = "One greedy routing step towards a point")
    @PostMapping("/step")
    public StepDto step(@Valid @RequestBody StepRequest request) {
        return StepDto.of(node("step").handleStep(request.point().toPoint()));
    }

    @Operation(summary = "A node asks for a zone at a point (the owner splits its zone)")
    @PostMapping("/join")
    public JoinReplyDto join(@Valid @RequestBody JoinRequest request) {
        return JoinReplyDto.of(node("join").handleJoin(request.joiner().toRef(), request.point().toPoint(), request.mayRedirect()));
    }

    @Operation(summary = "A neighbour's periodic update; the reply is this node's")
    @PostMapping("/update")
    public UpdateDto update(@Valid @RequestBody UpdateDto request) {
        return UpdateDto.of(node("update").handleUpdate(request.toUpdate()));
    }

    @Operation(summary = "This node's zones and neighbours (walking the space)")
    @GetMapping("/state")
    public UpdateDto state() {
        return UpdateDto.of(node("state").handleState());
    }

    @Operation(summary = "A takeover claim for a dead neighbour's zones")
    @PostMapping("/takeover")
    public TakeoverReplyDto takeover(@Valid @RequestBody TakeoverDto request) {
        return TakeoverReplyDto.of(node("takeover").handleTakeover(request.toTakeover()));
    }

    @Operation(summary = "A neighbour leaves and hands its zones over")
    @PostMapping("/handover")
    public ResponseEntity<Void> handover(@Valid @RequestBody HandoverDto request) {
        node("handover").handleHandover(request.toHandover());
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Put at the point's owner (versions it and copies it to the neighbours)")
    @PostMapping("/kv/put")
    public PutReplyDto put(@Valid @RequestBody PutRequest request) {
        var reply = owned(() -> node("put").handlePut(request.key(), request.value(), request.contentType()));
        return new PutReplyDto(reply.created(), reply.version());
    }

    @Operation(summary = "Get at the point's owner (204 when absent)")
    @PostMapping("/kv/get")
    public ResponseEntity<EntryDto> get(@Valid @RequestBody KeyRequest request) {
        return owned(() -> node("get").handleGet(request.key())).map(e -> ResponseEntity.ok(EntryDto.of(e)))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @Operation(summary = "Delete at the point's owner")
    @PostMapping("/kv/delete")
    public DeleteReplyDto delete(@Valid @RequestBody KeyRequest request) {
        return new DeleteReplyDto(owned(() -> node("delete").handleDelete(request.key())));
    }

    @Operation(summary = "Store copies of a neighbour's entries")
    @PostMapping("/kv/replicate")
    public ResponseEntity<Void> replicate(@RequestBody List<@Valid EntryDto> entries) {
        node("replicate").handleReplicate(entries.stream().map(EntryDto::toEntry).toList());
        return ResponseEntity.noContent().build();
    }
}
