package org.p2plab.overcast.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.p2plab.overcast.protocol.Certificate;
import org.p2plab.overcast.protocol.UpDown;

/** The user API's bodies. */
public final class OvercastViews {

    private OvercastViews() {
    }

    /** A content item, with where this node serves it. */
    public record ItemView(@Schema(example = "lecture") String group, @Schema(example = "intro.mp4") String name,
                           @Schema(example = "1048576") long size,
                           @Schema(example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") String sha256,
                           Instant publishedAt, @Schema(example = "http://127.0.0.1:8085/groups/lecture/content/intro.mp4") String url) {
    }

    public record GroupView(@Schema(example = "lecture") String group, List<ItemView> items) {
    }

    /** A certificate that changed a node's table, with its index in that node's log. */
    public record CertificateView(@Schema(example = "12") long index, Certificate.Type type,
                                  @Schema(example = "http://127.0.0.1:8185") String node,
                                  @Schema(example = "http://127.0.0.1:8085") String parent,
                                  @Schema(example = "1764000000000") long seq, Instant at) {

        public static CertificateView of(UpDown.Logged l) {
            Certificate c = l.certificate();
            return new CertificateView(l.index(), c.type(), c.node(), c.parent(), c.seq(), l.at());
        }
    }

    /**
     * One node of the tree as this node's table holds it: {@code status} is what its last
     * certificate says (alive or dead); {@code reachable} also needs every ancestor alive.
     */
    public record TreeNodeView(@Schema(example = "http://127.0.0.1:8185") String address,
                               @Schema(example = "http://127.0.0.1:8085") String parent,
                               @Schema(example = "alive", allowableValues = {"alive", "dead"}) String status, boolean reachable,
                               @Schema(example = "1764000000000") long seq, @Schema(example = "1") int depth,
                               CertificateView lastCertificate) {
    }

    /** The tree below this node (at the root: the whole tree), enough to draw it. */
    public record TreeView(@Schema(example = "http://127.0.0.1:8085") String root, boolean isRoot, int alive, int dead,
                           List<TreeNodeView> nodes) {
    }

    public record CertificatesView(@Schema(description = "pass as since= to get what follows", example = "42") long next,
                                   @Schema(description = "the index of the oldest certificate still kept") long oldest,
                                   List<CertificateView> certificates) {
    }

    /** A bandwidth measurement: the node, bytes per second, hops. */
    public record MeasuredView(String node, double bytesPerSecond, int hops) {
    }

    public record RoundView(String parentBefore, String parentAfter, boolean moved, boolean rejoined, List<MeasuredView> measured) {
    }

    public record StatusView(@Schema(example = "node") String role,
                             @Schema(description = "a root below another root (p2plab.overcast.upstream)") boolean linearRoot,
                             @Schema(description = "a linear root that has taken over as the root") boolean tookOver,
                             String self, String root, String parent, List<String> ancestors,
                             int depth, long seq, List<String> children, long servingRate, long rounds, long moves, long rejoins,
                             long failedCheckIns, RoundView lastRound,
                             @Schema(description = "the last bandwidth measured to each node, bytes per second") Map<String, Double> bandwidths,
                             int contentItems, long contentBytes, int pendingCertificates) {
    }

    public record ServingRate(@NotNull @Min(0) @Schema(description = "bytes per second this node serves at most; 0: unlimited",
            example = "1048576") Long bytesPerSecond) {
    }

    /** Where the root sends a client, in the body of the redirect. */
    public record JoinView(String node, String location, int depth, String reason) {
    }
}
