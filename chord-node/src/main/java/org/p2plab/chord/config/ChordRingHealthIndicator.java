package org.p2plab.chord.config;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Ring membership as health: UP once the node is in a ring (a member, or a ring of one it
 * created), OUT_OF_SERVICE while it is starting or its bootstrap has not let it join yet. Part
 * of the readiness group (application.yml), so on Kubernetes a node takes traffic only once it
 * has joined; never part of liveness, so a node waiting for its bootstrap is not restarted.
 */
public class ChordRingHealthIndicator implements HealthIndicator {

    private final ChordService chord;

    public ChordRingHealthIndicator(ChordService chord) {
        this.chord = chord;
    }

    @Override
    public Health health() {
        return (chord.inRing() ? Health.up() : Health.outOfService()).withDetail("state", chord.joinState()).build();
    }
}
