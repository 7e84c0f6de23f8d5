package org.p2plab.chord.config;

import org.p2plab.chord.protocol.ChordPeer;
import org.p2plab.overlay.kv.KeyValueStore;
import org.p2plab.chord.store.EntryRepository;
import org.p2plab.chord.store.JpaKeyValueStore;
import org.p2plab.chord.transport.HttpChordPeer;
import org.p2plab.support.metrics.P2pMetrics;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/** Wires the protocol core to HTTP, JPA and the metrics. */
@Configuration(proxyBeanMethods = false)
public class ChordConfiguration {

    @Bean
    KeyValueStore chordStore(EntryRepository repository) {
        return new JpaKeyValueStore(repository);
    }

    @Bean
    ChordPeer chordPeer(@Qualifier("peerRestClient") RestClient peerRestClient, P2pMetrics metrics) {
        return new HttpChordPeer(peerRestClient, metrics);
    }

    @Bean
    ChordService chordService(ChordProperties properties, ChordPeer peer, KeyValueStore store, P2pMetrics metrics) {
        return new ChordService(properties, peer, store, metrics);
    }

    /** "chordRing" in /actuator/health and in the readiness group: ready once joined. */
    @Bean
    ChordRingHealthIndicator chordRingHealthIndicator(ChordService chord) {
        return new ChordRingHealthIndicator(chord);
    }
}
