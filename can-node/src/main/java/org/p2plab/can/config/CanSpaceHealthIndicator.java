package org.p2plab.can.config;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Space membership as health: UP once the node owns part of a space, OUT_OF_SERVICE while it is
 * starting, joining or has left. In the readiness group only (application.yml): a node waiting
 * for its bootstrap takes no traffic but is not restarted.
 */
public class CanSpaceHealthIndicator implements HealthIndicator {

    private final CanService can;

    public CanSpaceHealthIndicator(CanService can) {
        this.can = can;
    }

    @Override
    public Health health() {
        return (can.inSpace() ? Health.up() : Health.outOfService()).withDetail("state", can.state()).build();
    }
}
