package org.p2plab.anycast.transport;

import java.time.Instant;
import java.util.OptionalDouble;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.p2plab.anycast.protocol.AnycastGroup;

/** The bodies of the peer API (content server to resolver, resolver to resolver) and their shared views. */
public final class PeerDtos {

    private PeerDtos() {
    }

    @Schema(description = "A content server's smoothed TUFR, pushed on a significant change")
    public record PushRequest(
            @NotBlank @Size(max = 400) @Schema(example = "Daily-News%cc.gatech.edu") String adn,
            @NotBlank @Size(max = 2000) @Schema(example = "http://127.0.0.1:8184") String url,
            @NotNull @PositiveOrZero @Schema(description = "time until first read, ms", example = "12.5") Double tufrMillis) {
    }

    @Schema(description = "A content server joins its group (created if the resolver is authoritative for its domain)")
    public record RegisterRequest(
            @NotBlank @Size(max = 400) @Schema(example = "Daily-News%cc.gatech.edu") String adn,
            @NotBlank @Size(max = 2000) @Schema(example = "http://127.0.0.1:8184") String url,
            @PositiveOrZero @Schema(description = "policy cost (default 1)", example = "1") Double cost) {
    }

    @Schema(description = "A member of an anycast group")
    public record MemberDto(@Schema(example = "1") String id, @Schema(example = "http://127.0.0.1:8184") String url,
                            @Schema(example = "1") double cost) {

        public static MemberDto of(AnycastGroup.Member m) {
            return new MemberDto(m.id(), m.url(), m.cost());
        }

        public AnycastGroup.Member toMember() {
            return new AnycastGroup.Member(id, url, cost);
        }
    }

    @Schema(description = "What a resolver knows of one member (absent values: not measured yet)")
    public record MetricsDto(
            String id, String url, double cost,
            @Schema(description = "latest TUFR, from a push or a probe file, ms") Double tufrMillis,
            @Schema(description = "response time of the last probe, ms") Double rtMillis,
            @Schema(description = "scaling factor RT / TUFR of the last probe") Double sf,
            @Schema(description = "estimated response time, ms: RT at a probe, SF × TUFR after a push") Double estimateMillis,
            Instant lastPush, Instant lastProbe,
            @Schema(description = "since when its probes get no answer (left out of the choice)") Instant unreachableSince,
            boolean reachable) {

        public static MetricsDto of(AnycastGroup.Metrics m) {
            return new MetricsDto(m.member().id(), m.member().url(), m.member().cost(), value(m.tufr()), value(m.rt()),
                    value(m.sf()), value(m.estimate()), m.lastPush(), m.lastProbe(), m.unreachableSince(), m.reachable());
        }

        public AnycastGroup.Metrics toMetrics() {
            return new AnycastGroup.Metrics(new AnycastGroup.Member(id, url, cost), optional(tufrMillis), optional(rtMillis),
                    optional(sf), optional(estimateMillis), lastPush, lastProbe, unreachableSince);
        }

        private static Double value(OptionalDouble d) {
            return d.isPresent() ? d.getAsDouble() : null;
        }

        private static OptionalDouble optional(Double d) {
            return d == null ? OptionalDouble.empty() : OptionalDouble.of(d);
        }
    }

    @Schema(description = "The probe file: the server's latest smoothed TUFR")
    public record ProbeFile(@Schema(example = "12.5") double tufrMillis, @Schema(example = "http://127.0.0.1:8184") String server,
                            @Schema(example = "Daily-News%cc.gatech.edu") String group) {
    }
}
