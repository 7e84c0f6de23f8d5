package org.p2plab.gnutella;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import org.p2plab.gnutella.config.ServentService;
import org.p2plab.gnutella.net.Servent;
import org.p2plab.support.test.LocalNodes;
import org.springframework.context.ConfigurableApplicationContext;

/** Real gnutella-peer applications on free loopback ports (HTTP and Gnutella) in this JVM. */
public final class LocalGnutellaNodes extends LocalNodes {

    /**
     * A servent connected to {@code peers} (their Gnutella ports), with short timers for tests.
     *
     * @param ultrapeer an ultrapeer, or a leaf
     */
    public ConfigurableApplicationContext servent(boolean ultrapeer, List<ConfigurableApplicationContext> peers, String... extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("server.address", "127.0.0.1");
        props.put("server.port", "0");
        props.put("logging.level.root", "WARN");
        props.put("p2plab.gnutella.listen-port", "0");
        props.put("p2plab.gnutella.ultrapeer", Boolean.toString(ultrapeer));
        props.put("p2plab.gnutella.keepalive", "1s");
        props.put("p2plab.gnutella.pong-refresh", "2s");
        props.put("p2plab.gnutella.idle-timeout", "20s");
        props.put("p2plab.gnutella.rescan", "500ms");
        StringJoiner p = new StringJoiner(",");
        for (ConfigurableApplicationContext c : peers) {
            p.add("127.0.0.1:" + wirePort(c));
        }
        props.put("p2plab.gnutella.peers", p.toString());
        return start(GnutellaPeerApplication.class, props, extra);
    }

    public static Servent servent(ConfigurableApplicationContext ctx) {
        return ctx.getBean(ServentService.class).servent();
    }

    public static int wirePort(ConfigurableApplicationContext ctx) {
        return servent(ctx).port();
    }
}
