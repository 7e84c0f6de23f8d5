package org.p2plab.chord;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.p2plab.chord.config.ChordService;
import org.p2plab.chord.protocol.ChordNode;
import org.p2plab.support.test.LocalNodes;
import org.springframework.context.ConfigurableApplicationContext;

/** Real chord-node applications on random loopback ports in this JVM, and an HTTP client for them. */
public final class LocalChordNodes extends LocalNodes {

    /** Fast maintenance so tests converge in seconds, in-memory H2 per node. */
    public ConfigurableApplicationContext start(String bootstrap, String... extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("server.port", "0");
        props.put("server.address", "127.0.0.1");
        props.put("spring.datasource.url", "jdbc:h2:mem:chord-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        props.put("p2plab.chord.bootstrap", bootstrap == null ? "" : bootstrap);
        props.put("p2plab.chord.stabilize-interval", "150ms");
        props.put("p2plab.chord.fix-fingers-interval", "50ms");
        props.put("p2plab.chord.check-predecessor-interval", "200ms");
        props.put("p2plab.chord.replication-interval", "400ms");
        props.put("p2plab.chord.replica-lease", "20s");
        props.put("p2plab.chord.join-retry-interval", "200ms");
        props.put("p2plab.http.connect-timeout", "300ms");
        props.put("p2plab.http.read-timeout", "2s");
        props.put("logging.level.root", "WARN");
        return start(ChordNodeApplication.class, props, extra);
    }

    public static ChordNode node(ConfigurableApplicationContext ctx) {
        return ctx.getBean(ChordService.class).node();
    }
}
