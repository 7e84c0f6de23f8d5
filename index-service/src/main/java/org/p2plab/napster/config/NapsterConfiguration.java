package org.p2plab.napster.config;

import org.p2plab.napster.protocol.UserStore;
import org.p2plab.napster.store.CounterRepository;
import org.p2plab.napster.store.JpaUserStore;
import org.p2plab.napster.store.UserRepository;
import org.p2plab.support.metrics.P2pMetrics;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the roles this instance runs ({@code p2plab.napster.role}). */
@Configuration(proxyBeanMethods = false)
public class NapsterConfiguration {

    /** The SpEL condition of the index role's beans. */
    public static final String INDEX_ROLE = "#{'${p2plab.napster.role:index}'.toLowerCase().contains('index')}";
    /** The SpEL condition of the peer role's beans. */
    public static final String PEER_ROLE = "#{'${p2plab.napster.role:index}'.toLowerCase().contains('peer')}";

    @Bean
    @ConditionalOnExpression(INDEX_ROLE)
    IndexService indexService(NapsterProperties properties, UserRepository users, CounterRepository counters, P2pMetrics metrics,
                              @Value("${server.address:}") String serverAddress) {
        UserStore store = new JpaUserStore(users);
        return new IndexService(properties, store, counters, metrics, serverAddress);
    }

    @Bean
    @ConditionalOnExpression(PEER_ROLE)
    PeerService peerService(NapsterProperties properties, P2pMetrics metrics, @Value("${server.address:}") String serverAddress) {
        return new PeerService(properties, metrics, serverAddress);
    }
}
