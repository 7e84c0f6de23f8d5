package org.p2plab.chord.transport;

import java.util.List;
import java.util.Map;

import org.p2plab.chord.protocol.Messages.NodeState;
import org.p2plab.chord.protocol.Messages.StepReply;
import org.p2plab.chord.protocol.Messages.SyncReply;
import org.p2plab.chord.protocol.Messages.SyncRequest;
import org.p2plab.overlay.NodeId;
import org.p2plab.overlay.NodeRef;
import org.p2plab.support.dht.KvDtos.EntryDto;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** JSON bodies of the /peer API, and their mapping to the protocol's records. */
public final class PeerDtos {
    private PeerDtos() {
    }

    /** A node: its 40-hex-digit identifier and its base URL. */
    public record NodeDto(@NotNull @Pattern(regexp = "[0-9a-fA-F]{1,40}") String id, @NotBlank String address) {
        public static NodeDto of(NodeRef n) {
            return n == null ? null : new NodeDto(n.id().toHex(), n.address());
        }

        public NodeRef toRef() {
            return new NodeRef(NodeId.parse(id), address);
        }
    }

    public record IdRequest(@NotNull @Pattern(regexp = "[0-9a-fA-F]{1,40}") String id) {
    }

    public record StepDto(boolean done, List<NodeDto> nodes, List<NodeDto> successors) {
        public static StepDto of(StepReply r) {
            return new StepDto(r.done(), PeerDtos.nodes(r.nodes()), PeerDtos.nodes(r.successors()));
        }

        public StepReply toReply() {
            return new StepReply(done, refs(nodes), refs(successors));
        }
    }

    public record StateDto(NodeDto node, NodeDto predecessor, List<NodeDto> successors) {
        public static StateDto of(NodeState s) {
            return new StateDto(NodeDto.of(s.node()), NodeDto.of(s.predecessor()), PeerDtos.nodes(s.successors()));
        }

        public NodeState toState() {
            return new NodeState(node.toRef(), predecessor == null ? null : predecessor.toRef(), refs(successors));
        }
    }

    public record NotifyRequest(@NotNull @Valid NodeDto candidate) {
    }

    public record TransferRequest(@NotNull @Valid NodeDto joiner) {
    }

    public record LeavingRequest(@NotNull @Valid NodeDto leaver, @Valid NodeDto newPredecessor,
            List<@Valid NodeDto> newSuccessors) {
    }

    public record SyncRequestDto(@NotNull @Valid NodeDto owner, @NotNull String from, @NotNull String to,
            @NotNull Map<String, Long> versions) {
        public static SyncRequestDto of(SyncRequest r) {
            return new SyncRequestDto(NodeDto.of(r.owner()), r.from().toHex(), r.to().toHex(), r.versions());
        }

        public SyncRequest toRequest() {
            return new SyncRequest(owner.toRef(), NodeId.parse(from), NodeId.parse(to), versions);
        }
    }

    public record SyncReplyDto(List<String> needed, List<EntryDto> newer) {
        public static SyncReplyDto of(SyncReply r) {
            return new SyncReplyDto(r.needed(), r.newer().stream().map(EntryDto::of).toList());
        }

        public SyncReply toReply() {
            return new SyncReply(needed, newer.stream().map(EntryDto::toEntry).toList());
        }
    }

    static List<NodeDto> nodes(List<NodeRef> refs) {
        return refs.stream().map(NodeDto::of).toList();
    }

    static List<NodeRef> refs(List<NodeDto> dtos) {
        return dtos == null ? List.of() : dtos.stream().map(NodeDto::toRef).toList();
    }
}
