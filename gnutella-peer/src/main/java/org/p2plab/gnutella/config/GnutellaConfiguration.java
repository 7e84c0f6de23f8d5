package org.p2plab.gnutella.config;

import org.p2plab.support.metrics.P2pMetrics;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the servent. */
@Configuration(proxyBeanMethods = false)
public class GnutellaConfiguration {

    @Bean
    ServentService serventService(GnutellaProperties properties, P2pMetrics metrics, @Value("${server.address:}") String serverAddress) {
        return new ServentService(properties, metrics, serverAddress);
    }
}
