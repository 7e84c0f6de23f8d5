package org.p2plab.publius;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.p2plab.publius.config.PubliusService;
import org.p2plab.publius.store.PieceStore;
import org.p2plab.support.test.LocalNodes;
import org.springframework.context.ConfigurableApplicationContext;

/** Real publius-server applications on random loopback ports in this JVM: servers, and clients listing them. */
public final class LocalPubliusServers extends LocalNodes {

    private final Path dataDir;
    private int started;

    public LocalPubliusServers(Path dataDir) {
        this.dataDir = dataDir;
    }

    private Map<String, Object> base() {
        Map<String, Object> props = new HashMap<>();
        props.put("server.address", "127.0.0.1");
        props.put("p2plab.http.connect-timeout", "300ms");
        props.put("p2plab.http.read-timeout", "5s");
        props.put("logging.level.root", "WARN");
        return props;
    }

    /** A server-role instance on a random port (or {@code port}, to restart one) with its own data directory. */
    public ConfigurableApplicationContext server(int port, Path dir, String... extra) {
        Map<String, Object> props = base();
        props.put("server.port", Integer.toString(port));
        props.put("p2plab.publius.role", "server");
        props.put("p2plab.publius.data-dir", dir.toString());
        return start(PubliusServerApplication.class, props, extra);
    }

    /** {@code m} servers, each with a fresh data directory. */
    public List<ConfigurableApplicationContext> servers(int m, String... extra) {
        List<ConfigurableApplicationContext> servers = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            servers.add(server(0, dataDir.resolve("server-" + (started++)), extra));
        }
        return servers;
    }

    /** A client-role instance whose static list is these servers, in this order. */
    public ConfigurableApplicationContext client(List<ConfigurableApplicationContext> servers, String... extra) {
        Map<String, Object> props = base();
        props.put("server.port", "0");
        props.put("p2plab.publius.role", "client");
        props.put("p2plab.publius.servers", String.join(",", servers.stream().map(LocalNodes::url).toList()));
        return start(PubliusServerApplication.class, props, extra);
    }

    public static PieceStore store(ConfigurableApplicationContext server) {
        return server.getBean(PubliusService.class).store();
    }
}
