package org.p2plab.anycast.config;

import org.p2plab.anycast.protocol.AnycastPeer;
import org.p2plab.anycast.transport.HttpAnycastPeer;
import org.p2plab.support.metrics.P2pMetrics;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/** Wires the protocol roles to HTTP and the metrics. */
@Configuration(proxyBeanMethods = false)
public class AnycastConfiguration {

    @Bean
    AnycastPeer anycastPeer(@Qualifier("peerRestClient") RestClient peerRestClient, P2pMetrics metrics) {
        return new HttpAnycastPeer(peerRestClient, metrics);
    }

    @Bean
    AnycastService anycastService(AnycastProperties properties, AnycastPeer peer, P2pMetrics metrics,
                                  @Value("${server.address:}") String serverAddress) {
        return new AnycastService(properties, peer, metrics, serverAddress);
    }
}
