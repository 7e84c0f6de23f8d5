package org.p2plab.anycast;

import java.util.HashMap;
import java.util.Map;

import org.p2plab.anycast.config.AnycastService;
import org.p2plab.support.test.LocalNodes;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Real anycast-resolver applications on random loopback ports in this JVM: resolvers and content servers. */
public final class LocalAnycastNodes extends LocalNodes {

    public static final String GROUP = "Daily-News%cc.gatech.edu";
    public static final String GROUP_IN_PATH = "Daily-News%25cc.gatech.edu";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, Object> base() {
        Map<String, Object> props = new HashMap<>();
        props.put("server.address", "127.0.0.1");
        props.put("server.port", "0");
        props.put("p2plab.http.connect-timeout", "300ms");
        props.put("p2plab.http.read-timeout", "3s");
        props.put("logging.level.root", "WARN");
        return props;
    }

    /** A resolver (DNS on a free port) with these extra properties, e.g. "p2plab.anycast.domains=cc.gatech.edu". */
    public ConfigurableApplicationContext resolver(String... extra) {
        Map<String, Object> props = base();
        props.put("p2plab.anycast.role", "resolver");
        props.put("p2plab.anycast.dns-port", "0");
        return start(AnycastResolverApplication.class, props, extra);
    }

    /** A content server of {@link #GROUP} with this artificial delay, registering with {@code resolver}. */
    public ConfigurableApplicationContext content(ConfigurableApplicationContext resolver, String delay, String... extra) {
        Map<String, Object> props = base();
        props.put("p2plab.anycast.role", "content");
        props.put("p2plab.anycast.resolver", url(resolver));
        props.put("p2plab.anycast.group", GROUP);
        props.put("p2plab.anycast.artificial-delay", delay);
        props.put("p2plab.anycast.push-interval", "200ms");
        return start(AnycastResolverApplication.class, props, extra);
    }

    public static int dnsPort(ConfigurableApplicationContext resolver) {
        return resolver.getBean(AnycastService.class).dnsPort();
    }

    /** GET as JSON; an {@link AssertionError} if the status is not 200. */
    public JsonNode json(String url) {
        var r = get(url);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + r.statusCode() + ": " + new String(r.body()));
        }
        return JSON.readTree(r.body());
    }
}
