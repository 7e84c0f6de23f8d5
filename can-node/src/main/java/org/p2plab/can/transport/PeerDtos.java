package org.p2plab.can.transport;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.p2plab.can.protocol.Messages.Handover;
import org.p2plab.can.protocol.Messages.JoinReply;
import org.p2plab.can.protocol.Messages.NeighbourInfo;
import org.p2plab.can.protocol.Messages.StepReply;
import org.p2plab.can.protocol.Messages.Takeover;
import org.p2plab.can.protocol.Messages.TakeoverReply;
import org.p2plab.can.protocol.Messages.Update;
import org.p2plab.can.protocol.Point;
import org.p2plab.can.protocol.Zone;
import org.p2plab.overlay.NodeRef;
import org.p2plab.support.dht.KvDtos.EntryDto;

/**
 * JSON bodies of the CAN /peer API, and their mapping to the protocol's records. Coordinates
 * travel as the fixed-point integers the protocol uses (0 to 2^60), so zones stay exact; a zone a
 * peer sends must be one the splitting order produces, or the request is a 400.
 */
public final class PeerDtos {

    private PeerDtos() {
    }

    /** A node: its base URL (its identifier is derived from it). */
    public record NodeDto(@NotBlank String address) {
        public static NodeDto of(NodeRef n) {
            return n == null ? null : new NodeDto(n.address());
        }

        public NodeRef toRef() {
            return NodeRef.ofAddress(address);
        }
    }

    /** A point: one coordinate per dimension, each in [0, 2^60). */
    public record PointDto(@NotNull @Size(min = 1, max = Point.MAX_DIMENSIONS) long[] coords) {
        public static PointDto of(Point p) {
            long[] c = new long[p.dimensions()];
            for (int i = 0; i < c.length; i++) {
                c[i] = p.get(i);
            }
            return new PointDto(c);
        }

        public Point toPoint() {
            return Point.of(coords);
        }
    }

    /** A zone: the lower corner and the upper (exclusive) corner. */
    public record ZoneDto(@NotNull long[] lo, @NotNull long[] hi) {
        public static ZoneDto of(Zone z) {
            return new ZoneDto(z.los(), z.his());
        }

        public Zone toZone() {
            return Zone.of(lo, hi);
        }
    }

    public record NeighbourDto(@NotNull @Valid NodeDto node, @NotNull List<@Valid ZoneDto> zones) {
        public static NeighbourDto of(NeighbourInfo n) {
            return n == null ? null : new NeighbourDto(NodeDto.of(n.node()), zoneDtos(n.zones()));
        }

        public NeighbourInfo toInfo() {
            return new NeighbourInfo(node.toRef(), PeerDtos.zoneList(zones));
        }
    }

    public record StepRequest(@NotNull @Valid PointDto point) {
    }

    public record StepDto(boolean owner, List<ZoneDto> zones, List<NeighbourDto> next) {
        public static StepDto of(StepReply r) {
            return new StepDto(r.owner(), zoneDtos(r.zones()), neighbourDtos(r.next()));
        }

        public StepReply toReply() {
            return new StepReply(owner, zoneList(zones), infoList(next));
        }
    }

    public record JoinRequest(@NotNull @Valid NodeDto joiner, @NotNull @Valid PointDto point, boolean mayRedirect) {
    }

    public record JoinReplyDto(@NotNull JoinReply.Outcome outcome, List<ZoneDto> zones, List<NeighbourDto> candidates,
            NeighbourDto redirect, List<EntryDto> entries) {
        public static JoinReplyDto of(JoinReply r) {
            return new JoinReplyDto(r.outcome(), zoneDtos(r.zones()), neighbourDtos(r.candidates()), NeighbourDto.of(r.redirect()),
                    r.entries().stream().map(EntryDto::of).toList());
        }

        public JoinReply toReply() {
            return new JoinReply(outcome, zoneList(zones), infoList(candidates), redirect == null ? null : redirect.toInfo(),
                    entries == null ? List.of() : entries.stream().map(EntryDto::toEntry).toList());
        }
    }

    public record UpdateDto(@NotNull @Valid NodeDto from, @NotNull List<@Valid ZoneDto> zones,
            List<@Valid NeighbourDto> neighbours) {
        public static UpdateDto of(Update u) {
            return new UpdateDto(NodeDto.of(u.from()), zoneDtos(u.zones()), neighbourDtos(u.neighbours()));
        }

        public Update toUpdate() {
            return new Update(from.toRef(), zoneList(zones), infoList(neighbours));
        }
    }

    public record TakeoverDto(@NotNull @Valid NodeDto from, @NotNull List<@Valid ZoneDto> fromZones, @NotNull @Valid NodeDto dead,
            @NotNull List<@Valid ZoneDto> deadZones, double volume) {
        public static TakeoverDto of(Takeover t) {
            return new TakeoverDto(NodeDto.of(t.from()), zoneDtos(t.fromZones()), NodeDto.of(t.dead()), zoneDtos(t.deadZones()), t.volume());
        }

        public Takeover toTakeover() {
            return new Takeover(from.toRef(), zoneList(fromZones), dead.toRef(), zoneList(deadZones), volume);
        }
    }

    public record TakeoverReplyDto(boolean accepted, NeighbourDto replier) {
        public static TakeoverReplyDto of(TakeoverReply r) {
            return new TakeoverReplyDto(r.accepted(), NeighbourDto.of(r.replier()));
        }

        public TakeoverReply toReply() {
            return new TakeoverReply(accepted, replier.toInfo());
        }
    }

    public record HandoverDto(@NotNull @Valid NodeDto from, @NotNull List<@Valid ZoneDto> zones,
            List<@Valid NeighbourDto> neighbours) {
        public static HandoverDto of(Handover h) {
            return new HandoverDto(NodeDto.of(h.from()), zoneDtos(h.zones()), neighbourDtos(h.neighbours()));
        }

        public Handover toHandover() {
            return new Handover(from.toRef(), zoneList(zones), infoList(neighbours));
        }
    }

    static List<ZoneDto> zoneDtos(List<Zone> zones) {
        return zones.stream().map(ZoneDto::of).toList();
    }

    static List<Zone> zoneList(List<ZoneDto> dtos) {
        return dtos == null ? List.of() : dtos.stream().map(ZoneDto::toZone).toList();
    }

    static List<NeighbourDto> neighbourDtos(List<NeighbourInfo> infos) {
        return infos.stream().map(NeighbourDto::of).toList();
    }

    static List<NeighbourInfo> infoList(List<NeighbourDto> dtos) {
        return dtos == null ? List.of() : dtos.stream().map(NeighbourDto::toInfo).toList();
    }
}
