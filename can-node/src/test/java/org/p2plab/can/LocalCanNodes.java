package org.p2plab.can;

import java.util.HashMap;
import java.util.Map;

import org.p2plab.can.config.CanService;
import org.p2plab.can.protocol.CanNode;
import org.p2plab.support.test.LocalNodes;
import org.springframework.context.ConfigurableApplicationContext;

/** Real can-node applications on random loopback ports in this JVM, and an HTTP client for them. */
public final class LocalCanNodes extends LocalNodes {

    /** Fast updates and takeovers, so tests converge in seconds. */
    public ConfigurableApplicationContext start(String bootstrap, String... extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("server.port", "0");
        props.put("server.address", "127.0.0.1");
        props.put("p2plab.can.bootstrap", bootstrap == null ? "" : bootstrap);
        props.put("p2plab.can.update-interval", "200ms");
        props.put("p2plab.can.neighbour-timeout", "2s");
        props.put("p2plab.can.takeover-timer", "300ms");
        props.put("p2plab.can.join-retry-interval", "200ms");
        props.put("p2plab.http.connect-timeout", "300ms");
        props.put("p2plab.http.read-timeout", "2s");
        props.put("logging.level.root", "WARN");
        return start(CanNodeApplication.class, props, extra);
    }

    public static CanNode node(ConfigurableApplicationContext ctx) {
        return ctx.getBean(CanService.class).node();
    }
}
