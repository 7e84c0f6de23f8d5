package org.p2plab.overcast.config;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code p2plab.overcast.*}: this instance's role and the protocol's knobs.
 *
 * @param role              {@code root} (publishes content, holds the tree's table, redirects
 *                          clients) or {@code node} (joins under the root, climbs down the tree,
 *                          stores and serves the content)
 * @param root              node: the root's URL (the registry: where a node boots from); with
 *                          linear roots, the last of them
 * @param upstream          root: the linear root above this one (OSDI 2000 §4.4), making this a
 *                          linear root: it keeps its place in the chain, holds the whole table,
 *                          and takes over as the root if every root above it fails; empty: the
 *                          top root
 * @param advertisedAddress its URL as other nodes and clients reach it; empty: http://127.0.0.1:{port}
 * @param lease             a child's lease: it checks in every half lease, and is declared dead
 *                          when a whole lease passes without one
 * @param roundPeriod       between tree-building rounds while the node still moves
 * @param reevaluatePeriod  between rounds once it has settled (jittered)
 * @param tolerance         bandwidths within this fraction are a tie (the paper's 10%)
 * @param hops              the hop count this node reports for every peer (a configured count:
 *                          on one machine there is no traceroute distance to measure)
 * @param servingRate       bytes per second this node serves at most, to all its children and
 *                          clients together (a token bucket; 0: unlimited) — the teaching knob
 *                          that gives the tree something to optimise on one machine
 * @param replicaRates      the serving rate of replica i (by {@code replica-index}, cycling), so
 *                          that one pod template gives nodes that differ (the Helm chart); empty:
 *                          {@code serving-rate} for every replica
 * @param replicaIndex      this replica's index (a StatefulSet pod's ordinal); null: none
 * @param probeSize         the probe object a node downloads to measure bandwidth
 * @param contentPoll       how often a node asks its parent for content it lacks
 * @param maxContentSize    the largest content the root accepts
 * @param dataDir           where content is stored; empty: a temporary directory removed at exit
 */
@ConfigurationProperties("p2plab.overcast")
public record OvercastProperties(
        @DefaultValue("root") Role role,
        String root,
        String upstream,
        String advertisedAddress,
        @DefaultValue("10s") Duration lease,
        @DefaultValue("2s") Duration roundPeriod,
        @DefaultValue("30s") Duration reevaluatePeriod,
        @DefaultValue("0.1") double tolerance,
        @DefaultValue("1") int hops,
        @DefaultValue("10MB") DataSize servingRate,
        @DefaultValue({}) List<DataSize> replicaRates,
        Integer replicaIndex,
        @DefaultValue("64KB") DataSize probeSize,
        @DefaultValue("1s") Duration contentPoll,
        @DefaultValue("64MB") DataSize maxContentSize,
        String dataDir) {

    /** The role of one instance. */
    public enum Role {
        ROOT, NODE
    }

    public OvercastProperties {
        replicaRates = replicaRates == null ? List.of() : List.copyOf(replicaRates);
        for (Duration d : List.of(lease, roundPeriod, reevaluatePeriod, contentPoll)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("p2plab.overcast: the lease, round, re-evaluation and content-poll periods "
                        + "must be positive");
            }
        }
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new IllegalArgumentException("p2plab.overcast.tolerance is in [0, 1), got " + tolerance);
        }
        if (hops < 0) {
            throw new IllegalArgumentException("p2plab.overcast.hops is >= 0, got " + hops);
        }
        if (servingRate.isNegative() || replicaRates.stream().anyMatch(DataSize::isNegative)) {
            throw new IllegalArgumentException("p2plab.overcast.serving-rate is >= 0 (0: unlimited)");
        }
        if (probeSize.toBytes() < 1024 || probeSize.toBytes() > 16L << 20) {
            throw new IllegalArgumentException("p2plab.overcast.probe-size is 1KB..16MB, got " + probeSize);
        }
        if (maxContentSize.toBytes() < 1) {
            throw new IllegalArgumentException("p2plab.overcast.max-content-size is > 0");
        }
        if (replicaIndex != null && replicaIndex < 0) {
            throw new IllegalArgumentException("p2plab.overcast.replica-index is >= 0, got " + replicaIndex);
        }
        if (role == Role.NODE && upstream != null && !upstream.isBlank()) {
            throw new IllegalArgumentException("p2plab.overcast.upstream is for linear roots (role=root); a node has a root");
        }
        if (role == Role.NODE && (root == null || root.isBlank())) {
            throw new IllegalArgumentException("p2plab.overcast.root: a node needs the URL of its root");
        }
    }

    /** This instance's serving rate in bytes per second (its replica's, if {@code replica-rates} are given). */
    public long effectiveServingRate() {
        if (!replicaRates.isEmpty() && replicaIndex != null) {
            return replicaRates.get(replicaIndex % replicaRates.size()).toBytes();
        }
        return servingRate.toBytes();
    }

    public boolean isRoot() {
        return role == Role.ROOT;
    }

    /** A root below another root: one of a chain of linear roots. */
    public boolean isLinearRoot() {
        return role == Role.ROOT && upstream != null && !upstream.isBlank();
    }
}
