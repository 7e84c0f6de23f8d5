package org.p2plab.overcast.config;

import org.p2plab.support.metrics.P2pMetrics;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/** Wires the Overcast node to HTTP and the metrics. */
@Configuration(proxyBeanMethods = false)
public class OvercastConfiguration {

    @Bean
    OvercastService overcastService(OvercastProperties properties, @Qualifier("peerRestClient") RestClient peerRestClient,
                                    P2pMetrics metrics) {
        return new OvercastService(properties, peerRestClient, metrics);
    }
}
