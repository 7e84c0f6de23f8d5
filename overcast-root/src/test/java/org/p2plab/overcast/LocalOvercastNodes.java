package org.p2plab.overcast;

import java.util.HashMap;
import java.util.Map;

import org.p2plab.support.test.LocalNodes;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Real overcast-root applications (a root and nodes) on random loopback ports in this JVM. */
public final class LocalOvercastNodes extends LocalNodes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String lease;

    /** @param lease every node's lease (short in tests, so that failures show quickly) */
    public LocalOvercastNodes(String lease) {
        this.lease = lease;
    }

    private Map<String, Object> base(String servingRate) {
        Map<String, Object> props = new HashMap<>();
        props.put("server.address", "127.0.0.1");
        props.put("server.port", "0");
        props.put("p2plab.http.connect-timeout", "300ms");
        props.put("p2plab.http.read-timeout", "5s");
        props.put("logging.level.root", "WARN");
        props.put("p2plab.overcast.lease", lease);
        props.put("p2plab.overcast.round-period", "300ms");
        props.put("p2plab.overcast.reevaluate-period", "2s");
        props.put("p2plab.overcast.content-poll", "300ms");
        props.put("p2plab.overcast.probe-size", "64KB");
        props.put("p2plab.overcast.serving-rate", servingRate);
        return props;
    }

    public ConfigurableApplicationContext root(String servingRate, String... extra) {
        Map<String, Object> props = base(servingRate);
        props.put("p2plab.overcast.role", "root");
        return start(OvercastRootApplication.class, props, extra);
    }

    public ConfigurableApplicationContext node(ConfigurableApplicationContext root, String servingRate, String... extra) {
        Map<String, Object> props = base(servingRate);
        props.put("p2plab.overcast.role", "node");
        props.put("p2plab.overcast.root", url(root));
        return start(OvercastRootApplication.class, props, extra);
    }

    /** GET as JSON; an {@link AssertionError} if the status is not 200. */
    public JsonNode json(String url) {
        var r = get(url);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + r.statusCode() + ": " + new String(r.body()));
        }
        return JSON.readTree(r.body());
    }

    public static JsonNode parse(byte[] body) {
        return JSON.readTree(body);
    }
}
