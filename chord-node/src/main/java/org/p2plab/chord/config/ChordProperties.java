package org.p2plab.chord.config;

import java.time.Duration;

import org.p2plab.chord.protocol.ChordParams;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code p2plab.chord.*}: where this node is and whom it joins, and the protocol's parameters
 * (see {@link ChordParams} for their meaning in the paper).
 *
 * @param advertisedAddress URL other nodes reach this one at; empty: http://127.0.0.1:{server.port}
 * @param bootstrap         URL of any node of the ring to join; empty creates a new ring
 * @param nodeId            identifier override (1-40 hex digits); empty: SHA-1 of the advertised address
 * @param joinRetryInterval how often to retry joining while the bootstrap does not answer
 * @param leaveOnShutdown   leave gracefully (hand keys on) when the process stops
 */
@ConfigurationProperties("p2plab.chord")
public record ChordProperties(
        String advertisedAddress,
        String bootstrap,
        String nodeId,
        @DefaultValue("8") int successorListSize,
        @DefaultValue("3") int replicas,
        @DefaultValue("1s") Duration stabilizeInterval,
        @DefaultValue("500ms") Duration fixFingersInterval,
        @DefaultValue("2s") Duration checkPredecessorInterval,
        @DefaultValue("3s") Duration replicationInterval,
        @DefaultValue("30s") Duration replicaLease,
        @DefaultValue("10m") Duration tombstoneTtl,
        @DefaultValue("1MB") DataSize maxValueSize,
        @DefaultValue("2s") Duration joinRetryInterval,
        @DefaultValue("false") boolean leaveOnShutdown) {

    public ChordParams toParams() {
        return new ChordParams(successorListSize, replicas, stabilizeInterval, fixFingersInterval,
                checkPredecessorInterval, replicationInterval, replicaLease, tombstoneTtl, maxValueSize.toBytes());
    }
}
