package org.p2plab.can.config;

import org.p2plab.can.protocol.CanPeer;
import org.p2plab.can.transport.HttpCanPeer;
import org.p2plab.support.metrics.P2pMetrics;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/** Wires the protocol core to HTTP and the metrics. */
@Configuration(proxyBeanMethods = false)
public class CanConfiguration {

    @Bean
    CanPeer canPeer(@Qualifier("peerRestClient") RestClient peerRestClient, P2pMetrics metrics) {
        return new HttpCanPeer(peerRestClient, metrics);
    }

    @Bean
    CanService canService(CanProperties properties, CanPeer peer, P2pMetrics metrics) {
        return new CanService(properties, peer, metrics);
    }

    /** "canSpace" in /actuator/health and in the readiness group: ready once in a space. */
    @Bean
    CanSpaceHealthIndicator canSpaceHealthIndicator(CanService can) {
        return new CanSpaceHealthIndicator(can);
    }
}
