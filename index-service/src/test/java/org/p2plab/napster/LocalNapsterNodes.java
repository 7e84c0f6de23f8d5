package org.p2plab.napster;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.p2plab.napster.config.IndexService;
import org.p2plab.support.test.LocalNodes;
import org.springframework.context.ConfigurableApplicationContext;

/** Real index-service applications (an index and sharing peers) on random loopback ports in this JVM. */
public final class LocalNapsterNodes extends LocalNodes {

    private Map<String, Object> base(String role) {
        Map<String, Object> props = new HashMap<>();
        props.put("server.address", "127.0.0.1");
        props.put("server.port", "0");
        props.put("logging.level.root", "WARN");
        props.put("spring.datasource.url", "jdbc:h2:mem:napster-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        props.put("p2plab.napster.role", role);
        props.put("p2plab.napster.password-cost", "4");
        return props;
    }

    /** An index whose Napster TCP port is a free one. */
    public ConfigurableApplicationContext index(String... extra) {
        Map<String, Object> props = base("index");
        props.put("p2plab.napster.port", "0");
        return start(IndexServiceApplication.class, props, extra);
    }

    /** A sharing peer logged in to {@code index} over TCP, its data port a free one. */
    public ConfigurableApplicationContext peer(ConfigurableApplicationContext index, String nick, String sharedDir, String... extra) {
        Map<String, Object> props = base("peer");
        props.put("p2plab.napster.server", "127.0.0.1:" + tcpPort(index));
        props.put("p2plab.napster.peer.nick", nick);
        props.put("p2plab.napster.peer.data-port", "0");
        props.put("p2plab.napster.peer.shared-dir", sharedDir);
        props.put("p2plab.napster.peer.rescan", "500ms");
        return start(IndexServiceApplication.class, props, extra);
    }

    public static int tcpPort(ConfigurableApplicationContext index) {
        return index.getBean(IndexService.class).tcpPort();
    }
}
