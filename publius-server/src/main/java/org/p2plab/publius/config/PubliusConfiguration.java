package org.p2plab.publius.config;

import org.p2plab.publius.protocol.PubliusServerPeer;
import org.p2plab.publius.transport.HttpPubliusServer;
import org.p2plab.support.metrics.P2pMetrics;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/** Wires the protocol core to HTTP and the metrics. */
@Configuration(proxyBeanMethods = false)
public class PubliusConfiguration {

    @Bean
    PubliusServerPeer publiusServerPeer(@Qualifier("peerRestClient") RestClient peerRestClient, P2pMetrics metrics) {
        return new HttpPubliusServer(peerRestClient, metrics);
    }

    @Bean
    PubliusService publiusService(PubliusProperties properties, PubliusServerPeer peer, P2pMetrics metrics) {
        return new PubliusService(properties, peer, metrics);
    }
}
