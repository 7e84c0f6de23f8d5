package org.p2plab.can.config;

import java.time.Duration;

import org.p2plab.can.protocol.CanParams;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code p2plab.can.*}: where this node is and whom it joins, and the protocol's parameters (see
 * {@link CanParams} for their meaning in the paper).
 *
 * @param advertisedAddress   URL other nodes reach this one at; empty: http://127.0.0.1:{server.port}
 * @param bootstrap           URL of any node of the space to join; empty creates a new space
 * @param dimensions          d, the dimensions of the coordinate space (1-8); every node of a space must agree
 * @param updateInterval      mean period of the updates to the neighbours
 * @param neighbourTimeout    a neighbour silent this long is presumed dead
 * @param takeoverTimer       the takeover timer for a dead neighbour as large as this node
 * @param uniformPartitioning a join splits the largest zone among the owner and its neighbours
 * @param maxHops             a lookup gives up after this many hops
 * @param tombstoneTtl        how long deletions are remembered
 * @param maxValueSize        largest value (413 above)
 * @param joinRetryInterval   how often to retry joining while the bootstrap does not answer
 * @param leaveOnShutdown     hand the zone to a neighbour when the process stops
 */
@ConfigurationProperties("p2plab.can")
public record CanProperties(
        String advertisedAddress,
        String bootstrap,
        @DefaultValue("2") int dimensions,
        @DefaultValue("1s") Duration updateInterval,
        @DefaultValue("3500ms") Duration neighbourTimeout,
        @DefaultValue("1s") Duration takeoverTimer,
        @DefaultValue("false") boolean uniformPartitioning,
        @DefaultValue("4096") int maxHops,
        @DefaultValue("10m") Duration tombstoneTtl,
        @DefaultValue("1MB") DataSize maxValueSize,
        @DefaultValue("2s") Duration joinRetryInterval,
        @DefaultValue("false") boolean leaveOnShutdown) {

    public CanParams toParams() {
        return new CanParams(dimensions, updateInterval, neighbourTimeout, takeoverTimer, uniformPartitioning, maxHops, tombstoneTtl);
    }
}
