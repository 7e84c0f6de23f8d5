package org.p2plab.chord.protocol;

import java.time.Duration;
import java.util.Objects;

/**
 * Chord's parameters, named as in the ToN 2003 paper where it names them.
 *
 * @param successorListSize  r, the length of the successor list (section IV.E.3); 1 is the base
 *                           protocol of figure 5
 * @param replicas           copies of each key: on its successor and the next replicas - 1
 *                           successors, so at most r + 1
 * @param stabilizeInterval  mean period of stabilize (jittered uniformly in [0.5, 1.5) x mean)
 * @param fixFingersInterval mean period of fix_fingers (each run refreshes one distinct finger)
 * @param checkPredecessorInterval mean period of check_predecessor
 * @param replicationInterval mean period of the owner-to-replica key synchronisation
 * @param replicaLease       a replica not confirmed by its owner for this long is dropped
 * @param tombstoneTtl       how long a deletion is remembered, so a stale replica cannot revive the key
 * @param maxValueSize       largest value accepted, in bytes
 */
public record ChordParams(
        int successorListSize,
        int replicas,
        Duration stabilizeInterval,
        Duration fixFingersInterval,
        Duration checkPredecessorInterval,
        Duration replicationInterval,
        Duration replicaLease,
        Duration tombstoneTtl,
        long maxValueSize) {

    public static final int DEFAULT_SUCCESSOR_LIST_SIZE = 8;
    public static final int DEFAULT_REPLICAS = 3;

    public ChordParams {
        if (successorListSize < 1 || successorListSize > 64) {
            throw new IllegalArgumentException("successorListSize (r) must be in [1, 64], got " + successorListSize);
        }
        if (replicas < 1 || replicas > successorListSize + 1) {
            throw new IllegalArgumentException("replicas must be in [1, successorListSize + 1 = "
                    + (successorListSize + 1) + "], got " + replicas);
        }
        positive("stabilizeInterval", stabilizeInterval);
        positive("fixFingersInterval", fixFingersInterval);
        positive("checkPredecessorInterval", checkPredecessorInterval);
        positive("replicationInterval", replicationInterval);
        positive("replicaLease", replicaLease);
        positive("tombstoneTtl", tombstoneTtl);
        if (replicaLease.compareTo(replicationInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("replicaLease must be at least twice replicationInterval");
        }
        if (maxValueSize < 1) {
            throw new IllegalArgumentException("maxValueSize must be positive, got " + maxValueSize);
        }
    }

    /** The defaults of a real node: one-second stabilization, r = 8, three replicas, 1 MiB values. */
    public static ChordParams defaults() {
        return new ChordParams(DEFAULT_SUCCESSOR_LIST_SIZE, DEFAULT_REPLICAS,
                Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ofSeconds(30), Duration.ofMinutes(10), 1024 * 1024);
    }

    public ChordParams withSuccessorListSize(int r) {
        return new ChordParams(r, Math.min(replicas, r + 1), stabilizeInterval, fixFingersInterval,
                checkPredecessorInterval, replicationInterval, replicaLease, tombstoneTtl, maxValueSize);
    }

    public ChordParams withReplicas(int n) {
        return new ChordParams(successorListSize, n, stabilizeInterval, fixFingersInterval,
                checkPredecessorInterval, replicationInterval, replicaLease, tombstoneTtl, maxValueSize);
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
